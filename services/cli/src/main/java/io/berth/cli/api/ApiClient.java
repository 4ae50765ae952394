package io.berth.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Predicate;

/**
 * The Berth API at one address (the console, which forwards each path to its service): JSON in and
 * out, Server-Sent Events read line by line, and every error answer turned into an
 * {@link ApiException} with a readable message. The token goes into the Authorization header and
 * nowhere else.
 */
public final class ApiClient {
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 60_000;

    // HttpURLConnection rather than java.net.http: the latter costs a quarter of a second to build
    // (a selector thread, the default TLS context with every CA certificate) before the first byte,
    // and a command line lives for one request
    private final String base;
    private final String token;

    public ApiClient(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    public String base() {
        return base;
    }

    /** One answer: its status and body as text, parsed on demand. */
    public record Answer(int status, String body) {
        public JsonNode json() {
            JsonNode node = Json.parseOrNull(body);
            return node == null ? Json.MAPPER.nullNode() : node;
        }
    }

    public Answer get(String path) {
        return send("GET", path, null);
    }

    public Answer post(String path, Object body) {
        return send("POST", path, body == null ? "" : body);
    }

    public Answer put(String path, Object body) {
        return send("PUT", path, body);
    }

    public Answer delete(String path) {
        return send("DELETE", path, null);
    }

    /** The answer, or an {@link ApiException} for anything but a 2xx. */
    public Answer send(String method, String path, Object body) {
        HttpURLConnection connection = open(method, path, "application/json", READ_TIMEOUT_MS);
        try {
            if (body != null) {
                byte[] bytes = (body instanceof String s ? s : Json.write(body)).getBytes(StandardCharsets.UTF_8);
                connection.setDoOutput(true);
                connection.setFixedLengthStreamingMode(bytes.length);
                if (bytes.length > 0) {
                    connection.setRequestProperty("Content-Type", "application/json");
                }
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(bytes);
                }
            }
            int status = connection.getResponseCode();
            String text = read(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
            if (status >= 300) {
                throw new ApiException(status, ProblemMessage.of(status, text));
            }
            return new Answer(status, text);
        } catch (IOException e) {
            throw failed(e);
        } finally {
            connection.disconnect();
        }
    }

    /**
     * Reads a Server-Sent Events stream until the server ends it or {@code listener} answers false.
     * No read timeout: a follow runs until it is stopped (the servers send keep-alive comments).
     */
    public void stream(String path, Predicate<SseEvent> listener) {
        HttpURLConnection connection = open("GET", path, "text/event-stream", 0);
        try {
            int status = connection.getResponseCode();
            if (status >= 300) {
                String text = read(status >= 400 ? connection.getErrorStream() : connection.getInputStream());
                throw new ApiException(status, ProblemMessage.of(status, text));
            }
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                    StandardCharsets.UTF_8))) {
                SseParser parser = new SseParser(listener);
                for (String line; (line = reader.readLine()) != null; ) {
                    if (!parser.line(line)) {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            throw failed(e);
        } finally {
            connection.disconnect();
        }
    }

    private HttpURLConnection open(String method, String path, String accept, int readTimeoutMs) {
        try {
            HttpURLConnection connection = (HttpURLConnection) new URL(base + path).openConnection();
            connection.setRequestMethod(method);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
            connection.setReadTimeout(readTimeoutMs);
            connection.setUseCaches(false);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestProperty("Accept", accept);
            connection.setRequestProperty("Authorization", "Bearer " + token);
            return connection;
        } catch (IOException | IllegalArgumentException e) {
            throw new ApiException(0, "cannot use the API address " + base + " (" + e.getMessage() + ")");
        }
    }

    private ApiException failed(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return new ApiException(0, base + " did not answer in time");
        }
        return new ApiException(0, "cannot reach " + base + " (" + e.getClass().getSimpleName() + ")");
    }

    private static String read(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** One path segment, percent-encoded, so that any name the user typed makes a well-formed request. */
    public static String seg(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code ?a=1&b=2} of the entries whose value is not null ("" when none). */
    public static String query(Map<String, ?> params) {
        StringJoiner q = new StringJoiner("&", "?", "");
        q.setEmptyValue("");
        params.forEach((k, v) -> {
            if (v != null) {
                q.add(seg(k) + "=" + seg(v.toString()));
            }
        });
        return q.toString();
    }
}

package io.berth.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * HTTP/1.1 written on a socket, so that a test can send what a well-behaved client library refuses
 * to (a raw path with control characters or "..", a header with CR LF, a body larger than it says):
 * one request per connection. Every change (POST, PUT, PATCH, DELETE) sent with a member's or the
 * admin's token is kept in {@link #JOURNAL}, which AuditTrailIT looks for in the audit log.
 */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Who sent a change, with which token, and what it was answered; {@code audited}: it reached an
     * endpoint, so the audit must have it (null: it may not have, its path matching no route).
     */
    record Change(String service, String method, String target, String actor, int status, Instant at, Boolean audited,
            String expectedOutcome) {
    }

    static final ConcurrentLinkedQueue<Change> JOURNAL = new ConcurrentLinkedQueue<>();

    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + text(), e);
            }
        }

        /** An RFC 7807 problem: its content type, and a JSON object with a status equal to the answer's. */
        boolean isProblem() {
            if (!contentType().startsWith("application/problem+json")) {
                return false;
            }
            try {
                JsonNode problem = JSON.readTree(body);
                return problem.isObject() && problem.path("status").asInt() == status;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            String t = text();
            return status + " " + contentType() + " " + (t.length() > 300 ? t.substring(0, 300) + "..." : t);
        }
    }

    /** A request; {@code target} is sent as it is (path and query, already encoded or deliberately not). */
    static final class Request {
        final String method;
        final String base;
        final String target;
        String token;
        String actor;
        String service;
        byte[] body;
        String contentType = "application/json";
        final Map<String, String> headers = new LinkedHashMap<>();
        /** how long to read a streamed answer before closing it, 0 to read until the server closes */
        int streamMillis;
        int timeoutMillis = 20_000;
        /** whether AuditTrailIT should find this change in the audit (it reached an endpoint) */
        Boolean audited;
        boolean auditedSet;
        String expectedOutcome;

        Request(String method, String base, String target) {
            this.method = method;
            this.base = base;
            this.target = target;
        }

        Request as(String token, String actor) {
            this.token = token;
            this.actor = actor;
            return this;
        }

        Request service(String service) {
            this.service = service;
            return this;
        }

        Request body(String json) {
            this.body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        Request body(byte[] raw, String contentType) {
            this.body = raw;
            this.contentType = contentType;
            return this;
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request stream(int millis) {
            this.streamMillis = millis;
            return this;
        }

        Request audited(Boolean audited, String expectedOutcome) {
            this.audited = audited;
            this.auditedSet = true;
            this.expectedOutcome = expectedOutcome;
            return this;
        }

        Response send() {
            Instant at = Instant.now();
            Response response = exchange(this);
            if (actor != null && !method.equals("GET") && !method.equals("HEAD")) {
                Boolean reached = auditedSet ? audited : Boolean.valueOf(response.status() != 401);
                String outcome = expectedOutcome != null ? expectedOutcome : outcomeOf(response.status(), target, body);
                JOURNAL.add(new Change(service, method, target, actor, response.status(), at, reached, outcome));
            }
            return response;
        }
    }

    /**
     * A 404 about an app, or about a team's registry credentials, is a denial when the app or team is
     * hidden from the caller: the tenancy tests name only such apps and teams.
     */
    static String outcomeOf(int status, String target, byte[] body) {
        boolean namesAnApp = target.contains("/apps/") || target.contains("/logs/") || target.contains("app=")
                || target.contains("/registries")
                || (body != null && new String(body, StandardCharsets.UTF_8).contains("\"app\""));
        return status == 404 && namesAnApp ? "denied" : outcome(status);
    }

    static String outcome(int status) {
        if (status < 400) {
            return "ok";
        }
        return status == 401 || status == 403 || status == 429 ? "denied" : "failed";
    }

    static Request request(String method, String base, String target) {
        return new Request(method, base, target);
    }

    private static Response exchange(Request r) {
        URI uri = URI.create(r.base);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            socket.setSoTimeout(r.streamMillis > 0 ? r.streamMillis : r.timeoutMillis);
            StringBuilder head = new StringBuilder();
            head.append(r.method).append(' ').append(r.target).append(" HTTP/1.1\r\n");
            head.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
            if (r.token != null) {
                head.append("Authorization: Bearer ").append(r.token).append("\r\n");
            }
            head.append("Accept: */*\r\n");
            if (r.body != null) {
                head.append("Content-Type: ").append(r.contentType).append("\r\n");
                head.append("Content-Length: ").append(r.body.length).append("\r\n");
            } else if (!r.method.equals("GET") && !r.method.equals("HEAD")) {
                head.append("Content-Length: 0\r\n");
            }
            r.headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                if (r.body != null) {
                    out.write(r.body);
                }
                out.flush();
            } catch (IOException refusedMidway) {
                // a server may answer (413) and close before it has read a huge body: read that answer
            }
            return read(socket, r.streamMillis > 0 ? r.streamMillis : r.timeoutMillis, r.streamMillis > 0);
        } catch (IOException e) {
            throw new IllegalStateException(r.method + " " + r.base + r.target + ": " + e, e);
        }
    }

    /** Until the server closes, or {@code millis} in all (a stream's keep-alives would reset a read timeout). */
    private static Response read(Socket socket, int millis, boolean stream) throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[65536];
        long deadline = System.nanoTime() + millis * 1_000_000L;
        try {
            for (int n; ; ) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    throw new SocketTimeoutException("no end of the answer within " + millis + " ms");
                }
                socket.setSoTimeout((int) left);
                if ((n = in.read(buffer)) < 0) {
                    break;
                }
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            if (!stream && all.size() == 0) {
                throw e;
            }
            // a stream: what came so far is the answer
        } catch (IOException reset) {
            if (all.size() == 0) {
                throw reset;
            }
        }
        byte[] bytes = all.toByteArray();
        int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (end < 0) {
            throw new IOException("no complete HTTP head in " + bytes.length + " bytes: "
                    + new String(bytes, StandardCharsets.ISO_8859_1));
        }
        String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, body);
    }

    private static byte[] dechunk(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < raw.length) {
            int lineEnd = indexOf(raw, "\r\n".getBytes(StandardCharsets.ISO_8859_1), i);
            if (lineEnd < 0) {
                break;
            }
            String size = new String(raw, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n;
            try {
                n = Integer.parseInt(size, 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (n == 0) {
                break;
            }
            int from = lineEnd + 2;
            int to = Math.min(raw.length, from + n);
            out.write(raw, from, to - from);
            i = to + 2;
        }
        return out.toByteArray();
    }

    static int indexOf(byte[] data, byte[] what) {
        return indexOf(data, what, 0);
    }

    static int indexOf(byte[] data, byte[] what, int from) {
        outer:
        for (int i = from; i <= data.length - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String enc(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static List<Change> journal() {
        return new ArrayList<>(JOURNAL);
    }
}

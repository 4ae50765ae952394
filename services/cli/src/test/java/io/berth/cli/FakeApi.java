package io.berth.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An HTTP server answering canned bodies by "METHOD path?query", recording each request; stands in for the console in unit tests. */
public final class FakeApi implements AutoCloseable {
    public record Request(String method, String target, String authorization, String body) {
    }

    public record Canned(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final Map<String, Canned> answers = new ConcurrentHashMap<>();
    public final List<Request> requests = new CopyOnWriteArrayList<>();

    public FakeApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeApi json(String methodAndTarget, int status, String body) {
        answers.put(methodAndTarget, new Canned(status, status >= 400 ? "application/problem+json" : "application/json", body));
        return this;
    }

    /** A Server-Sent Events answer: each data item one event, then the end of the stream. */
    public FakeApi sse(String methodAndTarget, String... data) {
        StringBuilder body = new StringBuilder(": keep-alive\n\n");
        for (String d : data) {
            body.append(d.startsWith("event:") ? d : "data: " + d).append("\n\n");
        }
        answers.put(methodAndTarget, new Canned(200, "text/event-stream", body.toString()));
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(), target, exchange.getRequestHeaders().getFirst("Authorization"), body));
        Canned canned = answers.getOrDefault(exchange.getRequestMethod() + " " + target,
                new Canned(404, "application/problem+json",
                        "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"nothing canned for " + target + "\"}"));
        byte[] bytes = canned.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", canned.contentType());
        exchange.sendResponseHeaders(canned.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public Request last(String method) {
        for (int i = requests.size() - 1; i >= 0; i--) {
            if (requests.get(i).method().equals(method)) {
                return requests.get(i);
            }
        }
        throw new AssertionError("no " + method + " request among " + requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package io.berth.gateway.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Stands in for the registrar's query API in the gateway's tests, in the shape the gateway reads
 * ({@code GET /api/registry/apps}, {@code GET /api/registry/apps/{app}/instances}). Tests set an app's
 * instances with {@code PUT /test/apps/{app}} (a JSON array), like the registrar writing its registry.
 */
public final class FakeRegistrar {
    private final HttpServer server;
    private final Map<String, String> instancesJsonByApp = new ConcurrentHashMap<>();

    private FakeRegistrar(HttpServer server) {
        this.server = server;
    }

    static FakeRegistrar start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        FakeRegistrar registrar = new FakeRegistrar(server);
        server.createContext("/", registrar::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fake-registrar");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return registrar;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        try (exchange) {
            if (method.equals("PUT") && path.startsWith("/test/apps/")) {
                String app = path.substring("/test/apps/".length());
                instancesJsonByApp.put(app, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                reply(exchange, 204, "");
            } else if (method.equals("GET") && path.equals("/api/registry/apps")) {
                StringBuilder json = new StringBuilder("[");
                new TreeMap<>(instancesJsonByApp).keySet().forEach(app -> json.append(json.length() > 1 ? "," : "")
                        .append("{\"app\":\"").append(app).append("\",\"unknownField\":1}"));
                reply(exchange, 200, json.append(']').toString());
            } else if (method.equals("GET") && path.startsWith("/api/registry/apps/") && path.endsWith("/instances")) {
                String app = path.substring("/api/registry/apps/".length(), path.length() - "/instances".length());
                reply(exchange, 200, instancesJsonByApp.getOrDefault(app, "[]"));
            } else {
                reply(exchange, 404, "{}");
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}

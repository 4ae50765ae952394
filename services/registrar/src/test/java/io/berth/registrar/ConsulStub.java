package io.berth.registrar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for a Consul agent, since no Consul binary can be had on the project's machines. It
 * follows Consul's documented HTTP API for what the registrar and a user would call:
 * {@code PUT /v1/agent/service/register}, {@code PUT /v1/agent/service/deregister/{id}},
 * {@code GET /v1/agent/services}, {@code GET /v1/catalog/service/{name}} and
 * {@code GET /v1/health/service/{name}} (whose TCP check it really runs, on each call). It is not
 * Consul: no catalog sync, no anti-entropy, no ACLs, no blocking queries.
 */
public class ConsulStub implements QuarkusTestResourceLifecycleManager {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, ObjectNode> services = new ConcurrentHashMap<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/v1/", this::handle);
        server.start();
        return Map.of("berth.registrar.consul.enabled", "true",
                "berth.registrar.consul.host", "127.0.0.1",
                "berth.registrar.consul.port", Integer.toString(server.getAddress().getPort()));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (method.equals("PUT") && path.equals("/v1/agent/service/register")) {
                ObjectNode service = (ObjectNode) JSON.readTree(exchange.getRequestBody());
                String id = service.path("ID").asText(service.path("Name").asText());
                if (service.path("Name").asText().isBlank()) {
                    send(exchange, 400, "Missing service name");
                    return;
                }
                services.put(id, service);
                send(exchange, 200, "");
            } else if (method.equals("PUT") && path.startsWith("/v1/agent/service/deregister/")) {
                String id = path.substring("/v1/agent/service/deregister/".length());
                send(exchange, services.remove(id) == null ? 404 : 200, "");
            } else if (method.equals("GET") && path.equals("/v1/agent/services")) {
                ObjectNode all = JSON.createObjectNode();
                services.forEach((id, s) -> all.set(id, agentService(id, s)));
                sendJson(exchange, all);
            } else if (method.equals("GET") && path.startsWith("/v1/catalog/service/")) {
                String name = path.substring("/v1/catalog/service/".length());
                ArrayNode list = JSON.createArrayNode();
                services.forEach((id, s) -> {
                    if (name.equals(s.path("Name").asText())) {
                        ObjectNode entry = list.addObject();
                        entry.put("Node", "berth-test").put("Address", "127.0.0.1").put("ServiceID", id)
                                .put("ServiceName", name).put("ServiceAddress", s.path("Address").asText())
                                .put("ServicePort", s.path("Port").asInt());
                        entry.set("ServiceTags", s.path("Tags"));
                    }
                });
                sendJson(exchange, list);
            } else if (method.equals("GET") && path.startsWith("/v1/health/service/")) {
                String name = path.substring("/v1/health/service/".length());
                ArrayNode list = JSON.createArrayNode();
                services.forEach((id, s) -> {
                    if (name.equals(s.path("Name").asText())) {
                        ObjectNode entry = list.addObject();
                        entry.putObject("Node").put("Node", "berth-test").put("Address", "127.0.0.1");
                        entry.set("Service", agentService(id, s));
                        ArrayNode checks = entry.putArray("Checks");
                        JsonNode check = s.path("Check");
                        if (!check.isMissingNode()) {
                            checks.addObject().put("CheckID", "service:" + id).put("Name", check.path("Name").asText())
                                    .put("ServiceID", id).put("Status", tcp(check.path("TCP").asText()) ? "passing" : "critical");
                        }
                    }
                });
                sendJson(exchange, list);
            } else {
                send(exchange, 404, "no such endpoint in the Consul stub: " + method + " " + path);
            }
        }
    }

    private static ObjectNode agentService(String id, ObjectNode s) {
        ObjectNode out = JSON.createObjectNode();
        out.put("ID", id).put("Service", s.path("Name").asText()).put("Address", s.path("Address").asText())
                .put("Port", s.path("Port").asInt());
        out.set("Tags", s.has("Tags") ? s.get("Tags") : JSON.createArrayNode());
        out.set("Meta", s.has("Meta") ? s.get("Meta") : JSON.createObjectNode());
        return out;
    }

    private static boolean tcp(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            return false;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))), 500);
            return true;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static void sendJson(HttpExchange exchange, JsonNode body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        send(exchange, 200, JSON.writeValueAsString(body));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }
}

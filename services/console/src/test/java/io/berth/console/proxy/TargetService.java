package io.berth.console.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A small real HTTP server standing in for a Berth service behind the proxy (a test fixture, on a
 * free port): it answers with what it received, a problem for an app named {@code missing}, and a
 * Server-Sent Events stream whose second event waits until the test has read the first.
 */
public final class TargetService {
    /** Released by a test once it has read the first event of a stream; the second then follows. */
    static volatile CountDownLatch secondEvent = new CountDownLatch(1);
    /** Counted down when a stream's connection was closed from the proxy's side. */
    static volatile CountDownLatch streamClosed = new CountDownLatch(1);

    /** An app deploy lists whose deploy events have aged out of berth.deployments (none is published). */
    public static final String AGED_OUT_APP = "aged-out-app-from-deploy";

    private final String name;
    private final HttpServer server;

    private TargetService(String name, HttpServer server) {
        this.name = name;
        this.server = server;
    }

    static TargetService start(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        TargetService target = new TargetService(name, server);
        server.createContext("/", target::handle);
        server.start();
        return target;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if (path.endsWith("/rollouts/current/events") || path.endsWith("/tail")) {
                stream(exchange);
            } else if (path.equals("/api/apps") && "GET".equals(exchange.getRequestMethod())) {
                // deploy's list, as the console asks for it once on start (DeploySnapshot)
                send(exchange, 200, "application/json", "[{\"name\":\"" + AGED_OUT_APP + "\",\"team\":\"old-team\","
                        + "\"replicas\":3,\"currentRelease\":4,\"targetRelease\":4}]");
            } else if (path.equals("/api/apps/missing")) {
                send(exchange, 404, "application/problem+json",
                        "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"app 'missing' does not exist\"}");
            } else {
                echo(exchange);
            }
        }
    }

    private void echo(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var headers = exchange.getRequestHeaders();
        String json = "{\"service\":" + quote(name)
                + ",\"method\":" + quote(exchange.getRequestMethod())
                + ",\"uri\":" + quote(exchange.getRequestURI().toString())
                + ",\"authorization\":" + quote(headers.getFirst("Authorization"))
                + ",\"forwardedFor\":" + quote(headers.getFirst("X-Forwarded-For"))
                + ",\"contentType\":" + quote(headers.getFirst("Content-Type"))
                + ",\"body\":" + quote(body) + "}";
        exchange.getResponseHeaders().add("X-Target", name);
        send(exchange, "POST".equals(exchange.getRequestMethod()) ? 201 : 200, "application/json", json);
    }

    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("event: progress\ndata: {\"n\":1}\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        try {
            // a proxy that held the stream back would never let the test see the first event: the
            // test then fails on its own timeout, and this one gives up a little later
            if (!secondEvent.await(20, TimeUnit.SECONDS)) {
                return;
            }
            out.write("event: progress\ndata: {\"n\":2}\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            // then keep-alives, as the log tail sends them, until the proxy hangs up on us
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                Thread.sleep(50);
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException hungUp) {
            streamClosed.countDown();
            throw hungUp;
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String quote(String value) {
        if (value == null) {
            return "null";
        }
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}

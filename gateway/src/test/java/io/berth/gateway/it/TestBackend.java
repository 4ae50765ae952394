package io.berth.gateway.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An app instance for the tests: a real HTTP server on loopback that answers every path with its own
 * name (so a test sees which instance served a request) and {@code /health} with 200. Runs in the
 * test JVM, or as its own process through {@link #main} when a test kills it with SIGKILL.
 */
public final class TestBackend implements AutoCloseable {
    private final HttpServer server;
    private final String name;
    final AtomicLong served = new AtomicLong();

    private TestBackend(HttpServer server, String name) {
        this.server = server;
        this.name = name;
    }

    public static TestBackend start(String name) throws IOException {
        return start(name, 0);
    }

    static TestBackend start(String name, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 100);
        TestBackend backend = new TestBackend(server, name);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                if (!exchange.getRequestURI().getPath().equals("/health")) {
                    backend.served.incrementAndGet();
                }
                byte[] body = name.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "backend-" + name);
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return backend;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** {@code java ... TestBackend <port> <name>}: the process form. */
    public static void main(String[] args) throws IOException {
        start(args[1], Integer.parseInt(args[0]));
        System.out.println("listening on " + args[0]);
    }
}

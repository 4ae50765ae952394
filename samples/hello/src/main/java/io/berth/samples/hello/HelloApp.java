package io.berth.samples.hello;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sample app Berth deploys in demos, tests and benchmarks. It answers {@code /} with its app,
 * release and instance, serves {@code /health}, logs one line per request, and can be told to
 * misbehave so every path of a rollout can be driven:
 * <ul>
 * <li>{@code POST /admin/health/fail} and {@code /admin/health/pass}: fail or pass the health check</li>
 * <li>{@code POST /admin/crash}: exit with status 3 at once</li>
 * <li>{@code POST /admin/hang}: stop answering every request, health checks too, while the process lives on (a hung app)</li>
 * <li>{@code GET /cpu?ms=N}: burn one core for N milliseconds</li>
 * <li>env {@code HOST} and {@code PORT}: where it listens (127.0.0.1 and 8080 when unset)</li>
 * <li>env {@code SAMPLE_START_DELAY_MS}: wait before listening (slow start)</li>
 * <li>env {@code SAMPLE_FAIL_HEALTH=true}: start with a failing health check (a release that never becomes healthy)</li>
 * <li>env {@code SAMPLE_CRASH_AFTER_MS}: exit with status 3 after that long</li>
 * </ul>
 */
public final class HelloApp {
    private final Map<String, String> env;
    private final AtomicBoolean healthy;
    private final AtomicBoolean hung = new AtomicBoolean();
    private HttpServer server;

    HelloApp(Map<String, String> env) {
        this.env = env;
        this.healthy = new AtomicBoolean(!"true".equalsIgnoreCase(env.get("SAMPLE_FAIL_HEALTH")));
    }

    public static void main(String[] args) throws Exception {
        HelloApp app = new HelloApp(System.getenv());
        long delay = Long.parseLong(System.getenv().getOrDefault("SAMPLE_START_DELAY_MS", "0"));
        if (delay > 0) {
            log("starting slowly: waiting " + delay + " ms");
            Thread.sleep(delay);
        }
        String crashAfter = System.getenv("SAMPLE_CRASH_AFTER_MS");
        if (crashAfter != null) {
            Thread crasher = new Thread(() -> {
                try {
                    Thread.sleep(Long.parseLong(crashAfter));
                } catch (InterruptedException e) {
                    return;
                }
                log("crashing as told (SAMPLE_CRASH_AFTER_MS)");
                Runtime.getRuntime().halt(3);
            });
            crasher.setDaemon(true);
            crasher.start();
        }
        app.start(Integer.parseInt(System.getenv().getOrDefault("PORT", "8080")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("SIGTERM: stopping");
            app.stop();
        }));
    }

    int start(int port) throws IOException {
        // the address the platform says (HOST; a container's own 0.0.0.0), as a twelve-factor app binds
        String host = env.getOrDefault("HOST", "127.0.0.1");
        server = HttpServer.create(new InetSocketAddress(host, port), 512);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", this::handle);
        server.start();
        log("listening on " + host + ":" + server.getAddress().getPort() + " as " + identity());
        return server.getAddress().getPort();
    }

    void stop() {
        if (server != null) {
            server.stop(1);
        }
    }

    private String identity() {
        return "app=" + env.getOrDefault("BERTH_APP", "hello") + " release=" + env.getOrDefault("BERTH_RELEASE", "0")
                + " instance=" + env.getOrDefault("BERTH_INSTANCE", "local");
    }

    private void handle(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        String method = exchange.getRequestMethod();
        String path = uri.getPath();
        int status;
        String body;
        if (hung.get()) {
            // never answered: the connection stays open until the caller gives up, as a deadlocked app's would
            return;
        }
        if (path.equals("/admin/hang") && method.equals("POST")) {
            log("hanging as told (POST /admin/hang): no request is answered from now on");
            status = 200;
            body = "no request will be answered from now on";
            hung.set(true);
        } else if (path.equals("/health")) {
            status = healthy.get() ? 200 : 503;
            body = healthy.get() ? "ok" : "failing (as told)";
        } else if (path.equals("/admin/health/fail") && method.equals("POST")) {
            healthy.set(false);
            status = 200;
            body = "health check will fail";
        } else if (path.equals("/admin/health/pass") && method.equals("POST")) {
            healthy.set(true);
            status = 200;
            body = "health check will pass";
        } else if (path.equals("/admin/crash") && method.equals("POST")) {
            log("crashing as told (POST /admin/crash)");
            Runtime.getRuntime().halt(3);
            return;
        } else if (path.equals("/cpu")) {
            long ms = parseMillis(uri.getQuery());
            long until = System.nanoTime() + ms * 1_000_000;
            long spins = 0;
            while (System.nanoTime() < until) {
                spins++;
            }
            status = 200;
            body = "burned " + ms + " ms (" + spins + " spins)";
        } else if (path.equals("/")) {
            status = 200;
            body = "hello from " + identity();
        } else {
            status = 404;
            body = "not found";
        }
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.getResponseHeaders().set("X-Berth-Release", env.getOrDefault("BERTH_RELEASE", "0"));
        exchange.getResponseHeaders().set("X-Berth-Instance", env.getOrDefault("BERTH_INSTANCE", "local"));
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
        if (!path.equals("/health")) {
            log(method + " " + path + " " + status);
        }
    }

    private static long parseMillis(String query) {
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("ms=")) {
                    try {
                        return Math.min(Long.parseLong(pair.substring(3)), 10_000);
                    } catch (NumberFormatException ignored) {
                        // fall through to the default
                    }
                }
            }
        }
        return 100;
    }

    private static void log(String message) {
        System.out.println(Instant.now() + " INFO " + message);
    }
}

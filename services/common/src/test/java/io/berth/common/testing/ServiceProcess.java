package io.berth.common.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A packaged Berth service (target/quarkus-app/quarkus-run.jar) run as its own process, for tests
 * that kill and restart it for real. It gets a free port, the test tokens and the given
 * environment; its output is appended to {@code log}.
 */
public final class ServiceProcess {
    private final Process process;
    private final int port;

    private ServiceProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Starts the jar on {@code port} and waits until {@code healthPath} answers 200. */
    public static ServiceProcess start(Path jar, int port, Map<String, String> env, Path log, String healthPath)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx192m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> all = new HashMap<>(Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(port),
                "BERTH_AUTH_SERVICE_TOKEN", "berth-test-service-token",
                "BERTH_AUTH_ADMIN_TOKEN_SHA256", io.berth.common.auth.TokenHash.sha256Hex(TestAuth.ADMIN_TOKEN)));
        all.putAll(env);
        builder.environment().putAll(all);
        ServiceProcess service = new ServiceProcess(builder.start(), port);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(service.url() + healthPath)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return service;
                }
            } catch (IOException starting) {
                // not listening yet
            }
            if (!service.process.isAlive()) {
                throw new IllegalStateException(jar + " exited while starting: see " + log);
            }
            Thread.sleep(100);
        }
        service.kill();
        throw new IllegalStateException(jar + " not healthy within 90 s: see " + log);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, as an orderly shutdown. */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}

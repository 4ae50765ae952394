package io.berth.agent.instance;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** One health probe of an instance: HTTP GET answering 2xx/3xx, or a TCP connect, within the timeout. */
@ApplicationScoped
public class HealthProber {
    private final ExecutorService tcp = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "agent-tcp-probe");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public CompletableFuture<Boolean> probe(String host, int port, HealthCheckSpec check) {
        Duration timeout = Duration.ofMillis(check.timeoutMillis());
        if (check.http()) {
            String path = check.path() == null ? "/" : check.path();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                    .timeout(timeout).GET().build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(r -> r.statusCode() >= 200 && r.statusCode() < 400)
                    .exceptionally(e -> false);
        }
        return CompletableFuture.supplyAsync(() -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), check.timeoutMillis());
                return true;
            } catch (IOException e) {
                return false;
            }
        }, tcp);
    }
}

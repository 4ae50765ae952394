package io.berth.console.platform;

import io.berth.console.ConsoleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/** Asks every platform service for its readiness, all at once, each bounded by the health timeout. */
@ApplicationScoped
public class PlatformHealth {

    public record ServiceStatus(String name, String url, boolean ready, String detail) {
    }

    private final ConsoleConfig config;
    private final HttpClient http;

    PlatformHealth(ConsoleConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.healthTimeout()).build();
    }

    public List<ServiceStatus> check() {
        Map<String, CompletableFuture<ServiceStatus>> pending = new TreeMap<>();
        config.services().forEach((name, base) -> {
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/q/health/ready"))
                    .timeout(config.healthTimeout()).GET().build();
            pending.put(name, http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(r -> new ServiceStatus(name, base.toString(), r.statusCode() == 200, "HTTP " + r.statusCode()))
                    .exceptionally(e -> new ServiceStatus(name, base.toString(), false, "unreachable")));
        });
        return pending.values().stream().map(CompletableFuture::join).toList();
    }
}

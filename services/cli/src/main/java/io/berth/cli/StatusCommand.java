package io.berth.cli;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Readiness of every platform service on this machine; health needs no token. */
@Command(name = "status", description = "Show whether each Berth service is ready.")
class StatusCommand implements Callable<Integer> {
    static final Map<String, Integer> PORTS = new LinkedHashMap<>();

    static {
        PORTS.put("console", 8080);
        PORTS.put("deploy", 8081);
        PORTS.put("registrar", 8082);
        PORTS.put("autoscaler", 8083);
        PORTS.put("log-indexer", 8084);
        PORTS.put("agent", 8085);
        PORTS.put("gateway", 8086);
        PORTS.put("log-collector", 8087);
        PORTS.put("identity", 8088);
    }

    @Option(names = "--host", defaultValue = "127.0.0.1")
    String host;

    @Override
    public Integer call() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        int down = 0;
        for (var service : PORTS.entrySet()) {
            String state;
            try {
                int code = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + service.getValue()
                        + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                state = code == 200 ? "ready" : "not ready (HTTP " + code + ")";
            } catch (Exception e) {
                state = "down";
            }
            if (!"ready".equals(state)) {
                down++;
            }
            System.out.printf("%-14s :%-5d %s%n", service.getKey(), service.getValue(), state);
        }
        return down == 0 ? 0 : 3;
    }
}

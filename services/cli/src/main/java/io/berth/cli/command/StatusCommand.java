package io.berth.cli.command;

import io.berth.cli.ExitCodes;
import io.berth.cli.output.Table;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Readiness of every platform service on one machine; health needs no token. */
@Command(name = "status", description = "Show whether each Berth service on a machine is ready.")
public class StatusCommand extends BaseCommand {
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

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "The machine (default ${DEFAULT-VALUE})")
    String host;

    @Override
    public Integer call() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        int down = 0;
        Table table = new Table("SERVICE", "PORT", "STATE");
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
            table.row(service.getKey(), service.getValue(), state);
        }
        table.print(out());
        return down == 0 ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
    }
}

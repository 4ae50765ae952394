package io.berth.deploy;

import io.berth.common.auth.TokenHash;
import io.berth.common.testing.TestAuth;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real agent (services/agent, as packaged) on a free port with its own data directory, for
 * the deploy service's tests: releases run as real processes. Started once per test run.
 */
public class AgentProcess implements QuarkusTestResourceLifecycleManager {
    static final Path JAR = Path.of("../agent/target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize();
    static final Path DATA = Path.of("target/agent-data").toAbsolutePath();
    private Process agent;

    @Override
    public Map<String, String> start() {
        try {
            if (Files.exists(DATA)) {
                try (Stream<Path> walk = Files.walk(DATA)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder builder = new ProcessBuilder("java", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-jar", JAR.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(Path.of("target/agent.log").toFile()));
            builder.environment().putAll(Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(port),
                    "BERTH_AGENT_DATA_DIR", DATA.toString(),
                    "BERTH_AGENT_PORT_RANGE_START", "32000",
                    "BERTH_AGENT_PORT_RANGE_END", "32999",
                    "BERTH_AGENT_STOP_INSTANCES_ON_SHUTDOWN", "true",
                    "BERTH_AUTH_SERVICE_TOKEN", "berth-test-service-token",
                    "BERTH_AUTH_ADMIN_TOKEN_SHA256", TokenHash.sha256Hex(TestAuth.ADMIN_TOKEN)));
            agent = builder.start();
            String url = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/live")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return Map.of("berth.agent.url", url);
                    }
                } catch (IOException starting) {
                    // not listening yet
                }
                if (!agent.isAlive()) {
                    throw new IllegalStateException("the agent exited: see target/agent.log");
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("the agent did not start in 60 s: see target/agent.log");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot start the agent from " + JAR, e);
        }
    }

    @Override
    public void stop() {
        if (agent != null) {
            agent.destroy();
            try {
                agent.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

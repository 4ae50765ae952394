package io.berth.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.auth.TokenHash;
import io.berth.common.testing.TestAuth;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged deploy service killed (-9) in the middle of a rollout and started again: the
 * rollout, stored in PostgreSQL, resumes and completes, with exactly the desired instances.
 */
class DeployRestartIT {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final AgentProcess agent = new AgentProcess();
    private Process deploy;
    private String agentUrl;
    private int port;

    @AfterEach
    void stop() {
        if (deploy != null) {
            deploy.destroyForcibly();
        }
        agent.stop();
    }

    void startDeploy() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx192m", "-XX:TieredStopAtLevel=1", "-jar",
                "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target/deploy-it.log").toFile()));
        builder.environment().putAll(Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(port),
                "BERTH_AGENT_URL", agentUrl,
                "BERTH_POSTGRES_DB_NAME", "berth_test",
                "BERTH_AUTH_SERVICE_TOKEN", "berth-test-service-token",
                "BERTH_AUTH_ADMIN_TOKEN_SHA256", TokenHash.sha256Hex(TestAuth.ADMIN_TOKEN)));
        deploy = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException starting) {
                // not listening yet
            }
            assertTrue(deploy.isAlive(), "deploy exited: see target/deploy-it.log");
            Thread.sleep(100);
        }
        throw new AssertionError("deploy not ready in 60 s: see target/deploy-it.log");
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    JsonNode call(String method, String path, Object body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + TestAuth.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() < 300, method + " " + path + ": " + response.statusCode() + " " + response.body());
        return JSON.readTree(response.body());
    }

    JsonNode await(String path, Predicate<JsonNode> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = call("GET", path, null);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " not reached in " + timeout + ": " + last);
    }

    @Test
    void aRolloutResumesAfterTheDeployServiceIsKilled() throws Exception {
        agentUrl = agent.start().get("berth.agent.url");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        startDeploy();
        String app = "restart-" + UUID.randomUUID().toString().substring(0, 8);
        call("POST", "/api/apps", Map.of("name", app));
        call("POST", "/api/apps/" + app + "/releases", DeployFlowTest.hello(5, Map.of(), 120));
        await("/api/apps/" + app + "/rollouts/current", r -> "COMPLETED".equals(r.get("state").asText()),
                Duration.ofSeconds(60));
        // v2 starts slowly and rolls one instance at a time (maxSurge 1): long enough to interrupt
        Map<String, Object> spec = new HashMap<>(DeployFlowTest.hello(5, Map.of("SAMPLE_START_DELAY_MS", "1500"), 120));
        call("POST", "/api/apps/" + app + "/releases", spec);
        await("/api/apps/" + app + "/rollouts/current",
                r -> r.get("toRelease").asInt() == 2 && r.get("ready").asInt() >= 1, Duration.ofSeconds(60));

        deploy.destroyForcibly().waitFor();
        startDeploy();

        JsonNode done = await("/api/apps/" + app + "/rollouts/current",
                r -> r.get("toRelease").asInt() == 2 && "COMPLETED".equals(r.get("state").asText()),
                Duration.ofSeconds(90));
        assertEquals(5, done.get("ready").asInt());
        List<JsonNode> instances = JSON.convertValue(call("GET", "/api/apps/" + app + "/instances", null),
                JSON.getTypeFactory().constructCollectionType(List.class, JsonNode.class));
        assertEquals(5, instances.size(), "exactly the desired instances, none doubled: " + instances);
        assertTrue(instances.stream().allMatch(i -> i.get("ready").asBoolean() && i.get("release").asInt() == 2),
                instances.toString());
    }
}

package io.berth.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.testing.ServiceProcess;
import io.berth.common.testing.TestAuth;
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
    private ServiceProcess deploy;
    private String agentUrl;
    private int port;

    @AfterEach
    void stop() throws InterruptedException {
        if (deploy != null) {
            deploy.kill();
        }
        agent.stop();
    }

    /** {@code fresh}: start from an empty schema of its own, or the other tests' apps would run on this agent too */
    void startDeploy(boolean fresh) throws Exception {
        Map<String, String> env = new HashMap<>(DeployDatabase.schema("deploy_restart_it", fresh));
        env.put("BERTH_AGENT_URL", agentUrl);
        // no gateway here: Ready is enough for the rolling update
        env.put("BERTH_DEPLOY_TRAFFIC_GATE", "none");
        deploy = ServiceProcess.start(Path.of("target/quarkus-app/quarkus-run.jar"), port, env,
                Path.of("target/deploy-it.log"), "/q/health/ready");
    }

    String base() {
        return deploy.url();
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
        port = ServiceProcess.freePort();
        startDeploy(true);
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

        deploy.kill();
        startDeploy(false);

        JsonNode done = await("/api/apps/" + app + "/rollouts/current",
                r -> r.get("toRelease").asInt() == 2 && "COMPLETED".equals(r.get("state").asText()),
                Duration.ofSeconds(90));
        assertEquals(5, done.get("ready").asInt());
        // the last v1 instances drain (2 s) and stop; then exactly the desired five are left, none doubled
        JsonNode settled = await("/api/apps/" + app + "/instances", list -> list.size() == 5, Duration.ofSeconds(30));
        List<JsonNode> instances = JSON.convertValue(settled,
                JSON.getTypeFactory().constructCollectionType(List.class, JsonNode.class));
        assertTrue(instances.stream().allMatch(i -> i.get("ready").asBoolean() && i.get("release").asInt() == 2),
                instances.toString());
        // and it stays that way: nothing is started twice after the restart
        Thread.sleep(3000);
        assertEquals(5, call("GET", "/api/apps/" + app + "/instances", null).size());
    }
}

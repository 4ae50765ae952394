package io.berth.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.testing.ServiceProcess;
import io.berth.common.testing.TestAuth;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged agent killed and restarted for real: its instances keep serving while it is away,
 * the next agent adopts the live ones (same pids, never a second copy) and restarts the ones that
 * died meanwhile. On both runtimes: containers outlive the agent under their conmons as processes
 * do under their shims.
 */
class AgentRestartIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DATA = Path.of("target/agent-it-data").toAbsolutePath();
    private final HttpClient http = HttpClient.newHttpClient();
    private ServiceProcess agent;
    private int agentPort;
    private String runtime = "process";

    @BeforeEach
    void clean() throws IOException {
        if (Files.exists(DATA)) {
            try (Stream<Path> walk = Files.walk(DATA)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        agentPort = ServiceProcess.freePort();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (agent == null || !agent.alive()) {
            startAgent();
        }
        for (JsonNode i : list()) {
            call("DELETE", "/api/instances/" + i.get("id").asText() + "?gracePeriodSeconds=2");
        }
        awaitList(l -> l.isEmpty(), Duration.ofSeconds(15));
        agent.stop();
        for (String id : List.of("it-a", "it-b")) {
            assertEquals(0, containers(id), "a stopped instance leaves no container of " + id);
        }
    }

    void startAgent() throws Exception {
        agent = ServiceProcess.start(Path.of("target/quarkus-app/quarkus-run.jar"), agentPort, Map.of(
                "BERTH_AGENT_DATA_DIR", DATA.toString(),
                "BERTH_AGENT_PORT_RANGE_START", "31000",
                "BERTH_AGENT_PORT_RANGE_END", "31999",
                "BERTH_AGENT_RUNTIME", runtime,
                "BERTH_AGENT_ARTIFACT_ROOTS", InstancesTest.HELLO_JAR.getParent().toString(),
                "BERTH_AGENT_CONTAINER_CGROUP_PARENT", "/berth-it",
                "BERTH_AGENT_CGROUP_PARENT", "berth-it"), Path.of("target/agent-it-" + runtime + ".log"), "/q/health/live");
    }

    Map<String, Object> helloSpec(String id) {
        Map<String, Object> spec = InstancesTest.helloSpec(id, Map.of());
        if ("container".equals(runtime)) {
            spec.put("artifact", InstancesTest.HELLO_JAR.toString());
        }
        return spec;
    }

    /** The containers named after the instance, running or not: never more than one. */
    static long containers(String id) throws Exception {
        Process ps = new ProcessBuilder("podman", "ps", "--all", "--filter", "name=^berth-" + id + "$", "--format",
                "{{.Names}}").redirectErrorStream(true).start();
        String out = new String(ps.getInputStream().readAllBytes());
        ps.waitFor();
        return out.lines().filter(l -> l.equals("berth-" + id)).count();
    }

    String base() {
        return agent.url();
    }

    JsonNode call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", "Bearer " + TestAuth.ADMIN_TOKEN)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() < 300, method + " " + path + ": " + response.statusCode() + " " + response.body());
        return JSON.readTree(response.body());
    }

    JsonNode call(String method, String path) throws Exception {
        return call(method, path, null);
    }

    List<JsonNode> list() throws Exception {
        return JSON.convertValue(call("GET", "/api/instances"), JSON.getTypeFactory()
                .constructCollectionType(List.class, JsonNode.class));
    }

    List<JsonNode> awaitList(Predicate<List<JsonNode>> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<JsonNode> last = List.of();
        while (System.nanoTime() < deadline) {
            last = list();
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not reached in " + timeout + ": " + last);
    }

    static boolean allReady(List<JsonNode> list, int n) {
        return list.size() == n && list.stream().allMatch(i -> "READY".equals(i.get("state").asText()));
    }

    long helloProcesses(String id) {
        return ProcessHandle.allProcesses()
                // the app's own JVM, not its shim (whose argv names the jar too)
                .filter(p -> p.info().command().orElse("").endsWith("/java"))
                .filter(p -> p.info().commandLine().orElse("").contains("hello.jar"))
                .filter(p -> {
                    try {
                        return Files.readString(Path.of("/proc/" + p.pid() + "/environ")).contains("BERTH_INSTANCE=" + id);
                    } catch (IOException e) {
                        return false;
                    }
                })
                .count();
    }

    String hello(String host, int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @ParameterizedTest(name = "on the {0} runtime")
    @ValueSource(strings = {"process", "container"})
    void aRestartedAgentAdoptsLiveInstancesAndRestartsDeadOnesWithoutDoubles(String runtime) throws Exception {
        this.runtime = runtime;
        startAgent();
        for (String id : List.of("it-a", "it-b")) {
            call("POST", "/api/instances", helloSpec(id));
        }
        // Ready, and each main process known (the process runtime learns it from the shim a moment later)
        List<JsonNode> before = awaitList(l -> allReady(l, 2) && l.stream().allMatch(i -> i.path("pid").asLong() > 0),
                Duration.ofSeconds(30));
        long pidA = before.get(0).get("pid").asLong();
        long pidB = before.get(1).get("pid").asLong();
        int portA = before.get(0).get("port").asInt();
        String hostA = before.get(0).get("host").asText();

        agent.kill();
        assertTrue(hello(hostA, portA).contains("instance=it-a"), "instances serve while no agent runs");
        ProcessHandle.of(pidB).orElseThrow().destroyForcibly();
        Thread.sleep(500);

        startAgent();
        List<JsonNode> after = awaitList(l -> allReady(l, 2), Duration.ofSeconds(30));
        assertEquals(pidA, after.get(0).get("pid").asLong(), "live instance adopted, not restarted");
        assertEquals(0, after.get(0).get("restarts").asInt());
        assertNotEquals(pidB, after.get(1).get("pid").asLong(), "dead instance started again");
        assertEquals(1, after.get(1).get("restarts").asInt());
        assertEquals(1, helloProcesses("it-a"), "exactly one process of it-a");
        assertEquals(1, helloProcesses("it-b"), "exactly one process of it-b");
        if ("container".equals(runtime)) {
            assertEquals(1, containers("it-a"), "exactly one container of it-a");
            assertEquals(1, containers("it-b"), "exactly one container of it-b");
        }

        // a graceful agent stop leaves instances running for the next agent too
        agent.stop();
        startAgent();
        List<JsonNode> again = awaitList(l -> allReady(l, 2), Duration.ofSeconds(30));
        assertEquals(pidA, again.get(0).get("pid").asLong());
        assertEquals(1, helloProcesses("it-a"));
        assertEquals(1, helloProcesses("it-b"));
        assertTrue(hello(again.get(0).get("host").asText(), portA).contains("instance=it-a"));
    }
}

package io.berth.agent;

import static io.berth.agent.InstancesTest.GONE;
import static io.berth.agent.InstancesTest.await;
import static io.berth.agent.InstancesTest.newId;
import static io.berth.agent.InstancesTest.shellSpec;
import static io.berth.agent.InstancesTest.start;
import static io.berth.agent.InstancesTest.state;
import static io.berth.common.testing.TestAuth.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.instance.InstanceState;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The container runtime for real (podman, runc, conmon, the base image bin/berth-dev builds): the
 * sample runs in a container on its own address, and an instance that probes its surroundings
 * finds every door of the platform shut.
 */
@QuarkusTest
@TestProfile(ContainerRuntimeProfile.class)
class ContainerInstancesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    static Map<String, Object> helloInContainer(String id, String team) {
        Map<String, Object> spec = InstancesTest.helloSpec(id, Map.of());
        spec.put("team", team);
        spec.put("artifact", InstancesTest.HELLO_JAR.toString());
        return spec;
    }

    static boolean containerExists(String id) throws Exception {
        Process p = new ProcessBuilder("podman", "container", "exists", "berth-" + id).start();
        return p.waitFor() == 0;
    }

    @Test
    void theSampleRunsInAContainerOnItsOwnAddressAndLogsInCriFormat() throws Exception {
        String id = newId();
        start(helloInContainer(id, "team-a"));
        JsonPath ready = await(id, state(InstanceState.READY), Duration.ofSeconds(40));
        String host = ready.getString("host");
        int port = ready.getInt("port");
        assertTrue(host.startsWith("10.89."), "a container address on its team's network, not the host's: " + host);

        var answer = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("hello from app=hello release=3 instance=" + id + "\n", answer.body());

        Path log = Path.of("target/agent-data/logs/hello/" + id + ".log");
        String firstLine = Files.readAllLines(log).stream().findFirst().orElse("(empty log)");
        assertTrue(firstLine.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}[+Z].* stdout F .*listening on 0\\.0\\.0\\.0:"
                + port + " .*"), "conmon writes the CRI format: " + firstLine);
        assertTrue(containerExists(id));

        asAdmin().delete("/api/instances/" + id).then().statusCode(202);
        await(id, GONE, Duration.ofSeconds(20));
        assertFalse(containerExists(id), "a stopped instance leaves no container behind");
    }

    @Test
    void aKilledContainerIsRestartedAndAnOutOfMemoryKillIsNamed() throws Exception {
        String id = newId();
        start(helloInContainer(id, "team-a"));
        long pid = await(id, state(InstanceState.READY), Duration.ofSeconds(40)).getLong("pid");
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        JsonPath back = await(id, j -> j != null && j.getInt("restarts") == 1 && j.get("pid") != null
                && j.getLong("pid") != pid, Duration.ofSeconds(10));
        assertEquals("signal 9", back.getString("lastExit"));
        await(id, state(InstanceState.READY), Duration.ofSeconds(40));
        asAdmin().delete("/api/instances/" + id).then().statusCode(202);

        String hog = InstancesTest.memoryHogIsOomKilled(Duration.ofSeconds(30));
        await(id, GONE, Duration.ofSeconds(20));
        await(hog, GONE, Duration.ofSeconds(20));
    }

    @Test
    void anArtifactOutsideTheArtifactRootsIsRefusedByField() {
        Map<String, Object> spec = helloInContainer(newId(), "team-a");
        spec.put("artifact", Path.of("target/agent-data/../../pom.xml").toAbsolutePath().toString());
        asAdmin().contentType(ContentType.JSON).body(spec).post("/api/instances")
                .then().statusCode(400).body("errors[0].field", org.hamcrest.Matchers.equalTo("artifact"));
    }

    /**
     * The doors an untrusted app tries, each asserted shut: root, capabilities, writing its image,
     * the host's files, the host's ports (Kafka, the agent, any service bound to all addresses), and
     * another team's instances. The gateway's port and its own team's instances stay reachable.
     */
    @Test
    void anInstanceFindsThePlatformsDoorsShut() throws Exception {
        Path secret = Path.of("target/agent-secret-file").toAbsolutePath();
        Files.writeString(secret, "not for apps");
        try (ServerSocket open = listen(ContainerRuntimeProfile.OPEN_HOST_PORT);
                ServerSocket closed = listen(ContainerRuntimeProfile.CLOSED_HOST_PORT)) {
            String sameTeam = newId();
            String otherTeam = newId();
            start(server(sameTeam, "team-a"));
            start(server(otherTeam, "team-b"));
            JsonPath a = await(sameTeam, state(InstanceState.READY), Duration.ofSeconds(40));
            JsonPath b = await(otherTeam, state(InstanceState.READY), Duration.ofSeconds(40));

            String probe = newId();
            Map<String, Object> spec = shellSpec(probe, "x");
            spec.put("app", "probe");
            spec.put("team", "team-a");
            spec.put("command", List.of("python3", "-c", script()));
            spec.put("env", Map.of(
                    "PROBE_TARGETS", String.join(",",
                            "gatewayPort:gateway:" + ContainerRuntimeProfile.OPEN_HOST_PORT,
                            "hostService:gateway:" + ContainerRuntimeProfile.CLOSED_HOST_PORT,
                            "kafka:gateway:9092",
                            "elasticsearch:gateway:9200",
                            "postgresql:gateway:5432",
                            "agentApi:gateway:" + io.restassured.RestAssured.port,
                            "sameTeam:" + a.getString("host") + ":" + a.getInt("port"),
                            "otherTeam:" + b.getString("host") + ":" + b.getInt("port")),
                    "PROBE_FILES", String.join(",", secret.toString(),
                            Path.of("target/agent-data/instances/" + sameTeam + "/spec.json").toAbsolutePath().toString())));
            start(spec);
            JsonNode found = awaitProbe(probe);

            assertNotEquals(0, found.get("uid").asInt(), "not root: " + found);
            assertEquals("0000000000000000", found.get("capEff").asText(), "no capabilities");
            assertEquals("1", found.get("noNewPrivs").asText(), "no new privileges");
            assertEquals("2", found.get("seccomp").asText(), "a seccomp filter");
            assertFalse(found.get("rootWritable").asBoolean(), "the root filesystem is read-only");
            assertTrue(found.get("tmpWritable").asBoolean(), "/tmp is writable");
            assertTrue(found.get("workWritable").asBoolean(), "the work directory is writable");
            found.get("files").fields().forEachRemaining(f ->
                    assertFalse(f.getValue().asBoolean(), "the host's file " + f.getKey() + " is out of sight"));
            assertTrue(found.get("processes").asInt() <= 3, "it sees its own processes only: " + found.get("processes"));
            assertEquals(4096, found.get("nofile").asInt());
            assertTrue(found.get("caBundleReadable").asBoolean(), "the host's CA bundle is mounted: " + found);

            JsonNode targets = found.get("targets");
            assertEquals("open", targets.get("gatewayPort").asText(), "the gateway's port stays open: " + targets);
            assertEquals("open", targets.get("sameTeam").asText(), "its own team's instances are reachable: " + targets);
            for (String shut : List.of("hostService", "kafka", "elasticsearch", "postgresql", "agentApi", "otherTeam")) {
                assertNotEquals("open", targets.get(shut).asText(), shut + " must be out of reach: " + targets);
            }
            for (String id : List.of(probe, sameTeam, otherTeam)) {
                asAdmin().delete("/api/instances/" + id + "?gracePeriodSeconds=1").then().statusCode(202);
            }
            for (String id : List.of(probe, sameTeam, otherTeam)) {
                await(id, GONE, Duration.ofSeconds(20));
            }
        }
    }

    static Map<String, Object> server(String id, String team) {
        Map<String, Object> spec = shellSpec(id, "exec python3 -m http.server \"$PORT\" --bind 0.0.0.0");
        spec.put("team", team);
        spec.put("app", "static-" + team);
        return spec;
    }

    static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        // every address, as Kafka or a database bound to 0.0.0.0 would be
        socket.bind(new InetSocketAddress("0.0.0.0", port));
        return socket;
    }

    static String script() throws IOException {
        try (InputStream in = ContainerInstancesTest.class.getResourceAsStream("/escape-probe.py")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static JsonNode awaitProbe(String id) throws Exception {
        Path log = Path.of("target/agent-data/logs/probe/" + id + ".log");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    int at = line.indexOf(" F PROBE ");
                    if (at > 0) {
                        return JSON.readTree(line.substring(at + " F PROBE ".length()));
                    }
                }
            }
            Thread.sleep(200);
        }
        var view = asAdmin().get("/api/instances/" + id).asString();
        throw new AssertionError("the probe printed nothing in 60 s; instance: " + view + "; log: "
                + (Files.exists(log) ? Files.readString(log) : "none"));
    }
}

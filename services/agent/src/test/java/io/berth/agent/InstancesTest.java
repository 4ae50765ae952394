package io.berth.agent;

import static io.berth.common.testing.TestAuth.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.KafkaEvents;
import io.berth.events.Topics;
import io.berth.events.instance.InstanceState;
import io.berth.events.instance.InstanceStateChanged;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The embedded runtime with real processes: the sample app, shells, signals. */
@QuarkusTest
class InstancesTest {
    static final Path HELLO_JAR = Path.of("../../samples/hello/target/hello.jar").toAbsolutePath().normalize();
    private final HttpClient http = HttpClient.newHttpClient();

    static String newId() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> helloSpec(String id, Map<String, String> env) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("id", id);
        spec.put("app", "hello");
        spec.put("team", "team-a");
        spec.put("release", 3);
        spec.put("command", List.of("java", "-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                HELLO_JAR.toString()));
        spec.put("env", env);
        spec.put("health", Map.of("type", "http", "path", "/health", "intervalMillis", 200, "timeoutMillis", 1000,
                "successThreshold", 1, "failureThreshold", 2, "initialDelayMillis", 0));
        spec.put("gracePeriodSeconds", 5);
        return spec;
    }

    /** 200 MiB against a 64 MiB limit: killed, and named so; returns its id, its stop asked for. */
    static String memoryHogIsOomKilled(Duration within) throws InterruptedException {
        String hog = newId();
        Map<String, Object> hogSpec = shellSpec(hog, "exec perl -e 'my $x = q(a) x (200*1024*1024); sleep 60'");
        hogSpec.put("resources", Map.of("memoryMiB", 64));
        start(hogSpec);
        JsonPath killed = await(hog, j -> j.getString("reason") != null && j.getString("reason").startsWith("OOMKilled"),
                within);
        assertTrue(killed.getString("reason").contains("64 MiB"), killed.getString("reason"));
        asAdmin().delete("/api/instances/" + hog).then().statusCode(202);
        return hog;
    }

    static Map<String, Object> shellSpec(String id, String script) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("id", id);
        spec.put("app", "shell");
        spec.put("release", 1);
        spec.put("command", List.of("sh", "-c", script));
        spec.put("gracePeriodSeconds", 1);
        return spec;
    }

    static JsonPath start(Map<String, Object> spec) {
        return asAdmin().contentType(ContentType.JSON).body(spec).post("/api/instances")
                .then().statusCode(201).extract().jsonPath();
    }

    static JsonPath await(String id, Predicate<JsonPath> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            var response = asAdmin().get("/api/instances/" + id);
            if (response.statusCode() == 200) {
                last = response.jsonPath();
                if (condition.test(last)) {
                    return last;
                }
            } else if (condition.test(null)) {
                return null;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("instance " + id + " did not get there in " + timeout + "; last: "
                + (last == null ? "gone" : last.prettify()));
    }

    static Predicate<JsonPath> state(InstanceState state) {
        return j -> j != null && state.name().equals(j.getString("state"));
    }

    static final Predicate<JsonPath> GONE = j -> j == null;

    @Test
    void theSampleRunsBecomesReadyLogsInCriFormatAndIsAnnounced() throws Exception {
        String id = newId();
        int port = start(helloSpec(id, Map.of("GREETING", "hi"))).getInt("port");
        JsonPath ready = await(id, state(InstanceState.READY), Duration.ofSeconds(20));
        assertEquals(port, ready.getInt("port"));

        var answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("hello from app=hello release=3 instance=" + id + "\n", answer.body());

        // the sample prints "listening" after its server started, and a probe may pass first
        Path log = Path.of("target/agent-data/logs/hello/" + id + ".log");
        long firstLineBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (Files.readAllLines(log).isEmpty() && System.nanoTime() < firstLineBy) {
            Thread.sleep(50);
        }
        String firstLine = Files.readAllLines(log).stream().findFirst().orElse("(empty log)");
        assertTrue(firstLine.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z stdout F .*listening on 127\\.0\\.0\\.1:"
                + port + " .*"), firstLine);
        // the sample logs a request after answering it, and the agent's pump copies the line a moment later
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String recent = "";
        while (!recent.contains("GET / 200") && System.nanoTime() < deadline) {
            recent = asAdmin().get("/api/instances/" + id + "/log?lines=5").then().statusCode(200).extract().asString();
            Thread.sleep(recent.contains("GET / 200") ? 0 : 100);
        }
        assertTrue(recent.contains("GET / 200"), "the request's log line in the instance's log; last: " + recent);

        var event = KafkaEvents.await(Topics.INSTANCES, e -> e.data() instanceof InstanceStateChanged c
                && c.instance().equals(id) && c.state() == InstanceState.READY, Duration.ofSeconds(20));
        assertTrue(event.isPresent(), "READY announced on " + Topics.INSTANCES);
        assertEquals("hello", event.get().key());

        long pid = ready.getLong("pid");
        asAdmin().delete("/api/instances/" + id).then().statusCode(202).body("state", equalTo("TERMINATING"));
        await(id, GONE, Duration.ofSeconds(10));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " stopped");
    }

    @Test
    void aKilledInstanceIsRestartedWithinFiveSecondsAndAnEventSaysSo() throws Exception {
        String id = newId();
        start(helloSpec(id, Map.of()));
        long pid = await(id, state(InstanceState.READY), Duration.ofSeconds(20)).getLong("pid");

        long killedAt = System.nanoTime();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        JsonPath back = await(id, j -> j != null && j.getInt("restarts") == 1 && j.get("pid") != null
                && j.getLong("pid") != pid, Duration.ofSeconds(5));
        long restartMillis = (System.nanoTime() - killedAt) / 1_000_000;
        assertTrue(restartMillis < 5000, "restarted after " + restartMillis + " ms");
        assertEquals("exit 137".equals(back.getString("lastExit")) || "signal 9".equals(back.getString("lastExit")), true,
                back.getString("lastExit"));
        await(id, state(InstanceState.READY), Duration.ofSeconds(20));

        assertTrue(KafkaEvents.await(Topics.INSTANCES, e -> e.data() instanceof InstanceStateChanged c
                && c.instance().equals(id) && c.state() == InstanceState.FAILED && "killed by signal 9".equals(c.reason()),
                Duration.ofSeconds(20)).isPresent(), "the crash is announced");
        assertTrue(KafkaEvents.await(Topics.INSTANCES, e -> e.data() instanceof InstanceStateChanged c
                && c.instance().equals(id) && "restarted (restart 1)".equals(c.reason()),
                Duration.ofSeconds(20)).isPresent(), "the restart is announced");
        asAdmin().delete("/api/instances/" + id).then().statusCode(202);
        await(id, GONE, Duration.ofSeconds(10));
    }

    @Test
    void stopEndsTheWholeProcessTreeEvenWhenItIgnoresSigterm() throws Exception {
        String id = newId();
        start(shellSpec(id, "trap '' TERM; sleep 300 & sleep 301 & wait; wait"));
        long pgid = await(id, j -> j != null && j.get("pid") != null, Duration.ofSeconds(10)).getLong("pid");
        // the shell still has to set its trap and fork both children
        List<ProcessHandle> tree = List.of();
        long childrenBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (tree.size() < 2 && System.nanoTime() < childrenBy) {
            Thread.sleep(50);
            tree = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").matches(".*sleep 30[01].*"))
                    .filter(p -> p.parent().map(pp -> pp.pid() == pgid).orElse(false))
                    .toList();
        }
        assertEquals(2, tree.size(), "both children run");

        long stopAt = System.nanoTime();
        asAdmin().delete("/api/instances/" + id + "?gracePeriodSeconds=1").then().statusCode(202);
        await(id, GONE, Duration.ofSeconds(10));
        long stopMillis = (System.nanoTime() - stopAt) / 1_000_000;
        assertTrue(stopMillis >= 900, "waited the grace period before SIGKILL: " + stopMillis + " ms");
        // killed children may linger a moment as zombies until init reaps them
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(tree.stream().noneMatch(ProcessHandle::isAlive), "no child outlives the stop");
        assertFalse(ProcessHandle.of(pgid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aDrainingInstanceIsTerminatingButStillServesUntilTheDrainEnds() throws Exception {
        String id = newId();
        int port = start(helloSpec(id, Map.of())).getInt("port");
        await(id, state(InstanceState.READY), Duration.ofSeconds(20));
        long stopAt = System.nanoTime();
        asAdmin().delete("/api/instances/" + id + "?drainSeconds=5").then().statusCode(202)
                .body("state", equalTo("TERMINATING"));
        Thread.sleep(500);
        var during = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, during.statusCode(), "still serving while draining");
        await(id, GONE, Duration.ofSeconds(10));
        assertTrue((System.nanoTime() - stopAt) / 1_000_000 >= 4900, "SIGTERM only after the drain");
    }

    @Test
    void anUnhealthyInstanceRunsButIsNotReadyUntilItsCheckPasses() throws Exception {
        String id = newId();
        int port = start(helloSpec(id, Map.of("SAMPLE_FAIL_HEALTH", "true"))).getInt("port");
        await(id, state(InstanceState.RUNNING), Duration.ofSeconds(20));
        Thread.sleep(1500);
        assertEquals("RUNNING", asAdmin().get("/api/instances/" + id).jsonPath().getString("state"));

        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/health/pass"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        await(id, state(InstanceState.READY), Duration.ofSeconds(15));
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/health/fail"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        await(id, state(InstanceState.UNREADY), Duration.ofSeconds(15));
        asAdmin().delete("/api/instances/" + id).then().statusCode(202);
        await(id, GONE, Duration.ofSeconds(10));
    }

    /** A hung instance (alive, failing its checks) is restarted once restartThreshold checks failed in a row. */
    @Test
    void anInstanceThatStopsAnsweringIsRestartedAfterItsRestartThreshold() throws Exception {
        String id = newId();
        Map<String, Object> spec = helloSpec(id, Map.of());
        spec.put("health", Map.of("type", "http", "path", "/health", "intervalMillis", 200, "timeoutMillis", 1000,
                "successThreshold", 1, "failureThreshold", 2, "initialDelayMillis", 0, "restartThreshold", 5));
        int port = start(spec).getInt("port");
        long pid = await(id, state(InstanceState.READY), Duration.ofSeconds(20)).getLong("pid");

        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/health/fail"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        await(id, state(InstanceState.UNREADY), Duration.ofSeconds(10));
        JsonPath killed = await(id, j -> j.getString("reason") != null && j.getString("reason").contains("restartThreshold 5"),
                Duration.ofSeconds(15));
        assertEquals("FAILED", killed.getString("state"), killed.prettify());
        await(id, j -> j.getInt("restarts") == 1 && j.get("pid") != null && j.getLong("pid") != pid, Duration.ofSeconds(15));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the hung process is gone");
        // its new process answers again (the failure was the old one's state)
        await(id, state(InstanceState.READY), Duration.ofSeconds(20));
        asAdmin().delete("/api/instances/" + id).then().statusCode(202);
        await(id, GONE, Duration.ofSeconds(10));
    }

    @Test
    void aCrashedInstanceWhosePortWasTakenMeanwhileComesBackOnAnotherPort() throws Exception {
        String id = newId();
        start(helloSpec(id, Map.of()));
        JsonPath ready = await(id, state(InstanceState.READY), Duration.ofSeconds(20));
        int port = ready.getInt("port");
        ProcessHandle crashed = ProcessHandle.of(ready.getLong("pid")).orElseThrow();
        crashed.destroyForcibly();
        crashed.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        // another process takes the port at once, within the restart backoff (FAILED lasts 1 s, too
        // short to be sure of seeing on a busy machine: what counts is where the instance comes back)
        try (java.net.ServerSocket squatter = new java.net.ServerSocket()) {
            squatter.setReuseAddress(true);
            squatter.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            JsonPath back = await(id, j -> j.getInt("restarts") >= 1 && "READY".equals(j.getString("state")),
                    Duration.ofSeconds(20));
            assertTrue(back.getInt("port") != port, "it moved off the taken port " + port);
            assertEquals(1, back.getInt("restarts"), "one restart was enough");
            String answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + back.getInt("port") + "/"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(answer.contains("instance=" + id), answer);
        }
        asAdmin().delete("/api/instances/" + id).then().statusCode(202);
        await(id, GONE, Duration.ofSeconds(10));
    }

    @Test
    void anInstanceIsHeldToItsMemoryAndCpuLimits() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/sys/fs/cgroup/memory")),
                "cgroup v1 memory hierarchy not writable here");
        // 200 MiB against a 64 MiB limit: the kernel's OOM killer ends it, and the agent says why
        String hog = memoryHogIsOomKilled(Duration.ofSeconds(20));

        // a busy loop held to 200 millicores uses a fifth of one core, not a whole one
        String spinner = newId();
        Map<String, Object> spinSpec = shellSpec(spinner, "exec perl -e '1 while 1'");
        spinSpec.put("resources", Map.of("cpuMillis", 200));
        start(spinSpec);
        JsonPath sampled = await(spinner, j -> j.getDouble("cpuPercent") > 0, Duration.ofSeconds(15));
        Thread.sleep(5500); // a second sample, over a whole interval of spinning
        double cpu = asAdmin().get("/api/instances/" + spinner).jsonPath().getDouble("cpuPercent");
        assertTrue(cpu > 5 && cpu < 35, "a 200m limit allows about 20% of a core; sampled " + cpu + " (first " + sampled.getDouble("cpuPercent") + ")");
        asAdmin().delete("/api/instances/" + spinner).then().statusCode(202);
    }

    @Test
    void startIsIdempotentByIdAndAConflictWithAnotherSpec() throws Exception {
        String id = newId();
        Map<String, Object> spec = shellSpec(id, "sleep 300");
        int port = start(spec).getInt("port");
        asAdmin().contentType(ContentType.JSON).body(spec).post("/api/instances")
                .then().statusCode(200).body("port", equalTo(port));
        spec.put("command", List.of("sh", "-c", "sleep 299"));
        asAdmin().contentType(ContentType.JSON).body(spec).post("/api/instances")
                .then().statusCode(409).contentType("application/problem+json");
        assertEquals(1, asAdmin().get("/api/instances?app=shell").jsonPath().getList("findAll { it.id == '" + id + "' }").size());
        asAdmin().delete("/api/instances/" + id).then().statusCode(202);
        await(id, GONE, Duration.ofSeconds(10));
    }

    @Test
    void badSpecsAreRejectedByFieldAndNothingRuns() {
        Map<String, Object> noCommand = shellSpec("t-nocommand", "x");
        noCommand.remove("command");
        asAdmin().contentType(ContentType.JSON).body(noCommand).post("/api/instances")
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("command"));
        asAdmin().contentType(ContentType.JSON).body(shellSpec("Bad_Id", "x")).post("/api/instances")
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("id"));
        Map<String, Object> badEnv = shellSpec("t-badenv", "x");
        badEnv.put("env", Map.of("1NOPE", "x"));
        asAdmin().contentType(ContentType.JSON).body(badEnv).post("/api/instances").then().statusCode(400);
        asAdmin().get("/api/instances/t-nocommand").then().statusCode(404);
        asAdmin().get("/api/instances/t-badenv").then().statusCode(404);
        asAdmin().delete("/api/instances/t-unknown").then().statusCode(404);
    }

    @Test
    void theWatchStreamResumesFromAVersion() throws Exception {
        long since = Long.parseLong(asAdmin().get("/api/instances").header("X-Berth-Version"));
        String id = newId();
        start(shellSpec(id, "sleep 300"));
        await(id, j -> j != null && j.get("pid") != null, Duration.ofSeconds(10));

        List<String> resumed = readWatch("/api/instances/watch?app=shell&since=" + since, id, 2);
        assertTrue(resumed.get(0).contains("\"type\":\"ADDED\""), resumed.get(0));
        assertTrue(resumed.get(1).contains("\"state\":\"STARTING\""), resumed.get(1));

        List<String> fresh = readWatch("/api/instances/watch?app=shell&since=1", id, 1);
        assertTrue(fresh.get(0).contains("\"type\":\"RESYNC\""), fresh.get(0));

        asAdmin().delete("/api/instances/" + id).then().statusCode(202);
        await(id, GONE, Duration.ofSeconds(10));
    }

    private List<String> readWatch(String path, String id, int count) throws Exception {
        String base = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
        var response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + io.berth.common.testing.TestAuth.ADMIN_TOKEN)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        var reading = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (var reader = new BufferedReader(new InputStreamReader(response.body()))) {
                String line;
                while (events.size() < count && (line = reader.readLine()) != null) {
                    if (line.startsWith("data:") && line.contains("\"id\":\"" + id + "\"")) {
                        events.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            reading.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            response.body().close();
            throw new AssertionError("watch gave only " + events + " within 10 s");
        }
        return events;
    }
}

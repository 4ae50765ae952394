package io.berth.deploy;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.berth.deploy.DeployApi.awaitJson;
import static io.berth.deploy.DeployApi.awaitRollout;
import static io.berth.deploy.DeployApi.newApp;
import static io.berth.deploy.DeployApi.release;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.KafkaEvents;
import io.berth.events.Topics;
import io.berth.events.deployment.RolloutCompleted;
import io.berth.events.deployment.RolloutFailed;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
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
import org.junit.jupiter.api.Test;

/** The README's flow against the real agent: releases of the sample app run as processes. */
@QuarkusTest
@QuarkusTestResource(AgentProcess.class)
class DeployFlowTest {
    static final Path HELLO_JAR = Path.of("../../samples/hello/target/hello.jar").toAbsolutePath().normalize();
    private final HttpClient http = HttpClient.newHttpClient();

    static Map<String, Object> hello(int replicas, Map<String, String> env, int deadlineSeconds) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("command", List.of("java", "-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                HELLO_JAR.toString()));
        spec.put("env", env.entrySet().stream().map(e -> Map.of("name", e.getKey(), "value", e.getValue())).toList());
        spec.put("health", Map.of("type", "http", "path", "/health"));
        spec.put("replicas", replicas);
        spec.put("strategy", Map.of("maxSurge", 1, "maxUnavailable", 0, "gracePeriodSeconds", 5,
                "progressDeadlineSeconds", deadlineSeconds));
        return spec;
    }

    /** Every instance Ready, all of release {@code release}, {@code n} of them. */
    static List<Map<String, Object>> awaitInstances(String app, int n, int release) throws InterruptedException {
        return awaitJson("/api/apps/" + app + "/instances", j -> {
            List<Map<String, Object>> list = j.getList("findAll { !it.terminating }");
            return list.size() == n && list.stream().allMatch(i -> Boolean.TRUE.equals(i.get("ready"))
                    && ((Number) i.get("release")).intValue() == release);
        }, Duration.ofSeconds(60)).getList("findAll { !it.terminating }");
    }

    String answer(Map<String, Object> instance) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.get("port") + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void releaseRollForwardRollBackAndScale() throws Exception {
        String app = newApp();
        assertEquals(1, release(app, hello(3, Map.of(), 60)));
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(60));
        for (Map<String, Object> instance : awaitInstances(app, 3, 1)) {
            assertTrue(answer(instance).startsWith("hello from app=" + app + " release=1 instance=" + instance.get("id")));
        }

        assertEquals(2, release(app, hello(3, Map.of("GREETING", "v2"), 60)));
        List<String> progress = rolloutEvents(app);
        assertTrue(progress.get(0).contains("\"toRelease\":2"), progress.get(0));
        assertTrue(progress.get(progress.size() - 1).contains("\"state\":\"COMPLETED\""), progress.toString());
        assertTrue(progress.stream().anyMatch(e -> e.contains("\"state\":\"PROGRESSING\"")), progress.toString());
        awaitRollout(app, 2, "COMPLETED", Duration.ofSeconds(60));
        for (Map<String, Object> instance : awaitInstances(app, 3, 2)) {
            assertTrue(answer(instance).contains(" release=2 "), answer(instance));
        }
        asAdmin().get("/api/apps/" + app).then().body("currentRelease", equalTo(2));

        asAdmin().contentType(ContentType.JSON).body(Map.of("release", 1)).post("/api/apps/" + app + "/rollback")
                .then().statusCode(202).body("kind", equalTo("rollback")).body("toRelease", equalTo(1));
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(60));
        awaitInstances(app, 3, 1);

        asAdmin().contentType(ContentType.JSON).body(Map.of("replicas", 5)).post("/api/apps/" + app + "/scale")
                .then().statusCode(200).body("replicas", equalTo(5));
        awaitInstances(app, 5, 1);
        asAdmin().contentType(ContentType.JSON).body(Map.of("replicas", 1)).post("/api/apps/" + app + "/scale")
                .then().statusCode(200).body("replicas", equalTo(1));
        awaitInstances(app, 1, 1);

        asAdmin().get("/api/apps/" + app + "/history").then().statusCode(200)
                .body("kind", hasItem("release")).body("kind", hasItem("rollback")).body("kind", hasItem("scale"))
                .body("summary", hasItem("scaled from 5 to 1"));
        assertTrue(KafkaEvents.await(Topics.DEPLOYMENTS, e -> app.equals(e.subject())
                && e.data() instanceof RolloutCompleted c && c.release() == 2, Duration.ofSeconds(20)).isPresent());
    }

    /** The rollout's Server-Sent Events, read until the server ends the stream (at a terminal state). */
    List<String> rolloutEvents(String app) throws Exception {
        String base = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
        var response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/apps/" + app + "/rollouts/current/events"))
                .header("Authorization", "Bearer " + io.berth.common.testing.TestAuth.ADMIN_TOKEN).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> response.body()
                        .filter(line -> line.startsWith("data:")).toList())
                .get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Test
    void twentyParallelDeletionsAreAllAnswered() throws Exception {
        List<String> apps = java.util.stream.IntStream.range(0, 20).mapToObj(i -> newApp("del")).toList();
        String base = io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port;
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = apps.stream()
                .map(app -> http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/apps/" + app)).DELETE()
                        .header("Authorization", "Bearer " + io.berth.common.testing.TestAuth.ADMIN_TOKEN).build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        for (int i = 0; i < apps.size(); i++) {
            // a deletion once held its transaction across the agent's calls, and some never committed
            HttpResponse<String> answer = answers.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(202, answer.statusCode(), apps.get(i) + ": " + answer.body());
        }
        for (String app : apps) {
            asAdmin().get("/api/apps/" + app).then().statusCode(404);
        }
    }

    @Test
    void aReleaseThatNeverBecomesHealthyFailsAndIsRolledBackWithTheReason() throws Exception {
        String app = newApp();
        release(app, hello(1, Map.of(), 60));
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(60));

        // a deadline long enough for the new instance to start and print its first line on a busy machine
        release(app, hello(1, Map.of("SAMPLE_FAIL_HEALTH", "true"), 15));
        JsonPath failed = awaitJson("/api/apps/" + app + "/rollouts",
                j -> "ROLLED_BACK".equals(j.getString("find { it.toRelease == 2 }.state")), Duration.ofSeconds(60));
        String reason = failed.getString("find { it.toRelease == 2 }.reason");
        assertTrue(reason.contains("no new instance became Ready within 15 s"), reason);
        assertTrue(reason.contains("listening on 127.0.0.1"), "the failing instance's last lines: " + reason);

        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(60));
        awaitInstances(app, 1, 1);
        asAdmin().get("/api/apps/" + app).then().body("currentRelease", equalTo(1)).body("targetRelease", equalTo(1));
        assertTrue(KafkaEvents.await(Topics.DEPLOYMENTS, e -> app.equals(e.subject())
                && e.data() instanceof RolloutFailed f && Integer.valueOf(1).equals(f.rolledBackTo()),
                Duration.ofSeconds(20)).isPresent());
    }

    /**
     * A release the agent refuses to start (here an image on its process runtime) is rolled back at
     * once, with the agent's reason, not after its progress deadline: no retry could start it.
     */
    @Test
    void aReleaseTheAgentRefusesIsRolledBackAtOnceNamingTheField() throws Exception {
        String app = newApp();
        release(app, hello(1, Map.of(), 60));
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(60));

        release(app, with(hello(1, Map.of(), 600), "image", "localhost/berth-not-built:1"));
        JsonPath failed = awaitJson("/api/apps/" + app + "/rollouts",
                j -> "ROLLED_BACK".equals(j.getString("find { it.toRelease == 2 }.state")), Duration.ofSeconds(30));
        String reason = failed.getString("find { it.toRelease == 2 }.reason");
        assertTrue(reason.startsWith("the agent refused to start its instances (image: "), reason);

        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(60));
        awaitInstances(app, 1, 1);
        asAdmin().get("/api/apps/" + app).then().body("currentRelease", equalTo(1)).body("targetRelease", equalTo(1));
    }

    @Test
    void badReleasesAreProblemsNamingTheFieldAndStoreNothing() {
        String app = newApp();
        Map<String, Object> noCommand = hello(1, Map.of(), 60);
        noCommand.remove("command");
        expectField(app, noCommand, "command");
        expectField(app, with(new HashMap<>(noCommand), "image", "not an image reference"), "image");
        expectField(app, with(hello(1, Map.of(), 60), "replicas", -1), "replicas");
        expectField(app, with(hello(1, Map.of(), 60), "replicas", 1000), "replicas");
        expectField(app, with(hello(1, Map.of(), 60), "port", 70000), "port");
        expectField(app, with(hello(1, Map.of(), 60), "strategy", Map.of("maxSurge", 0, "maxUnavailable", 0)),
                "strategy.maxSurge");
        expectField(app, with(hello(1, Map.of(), 60), "env", List.of(Map.of("name", "1BAD", "value", "x"))), "env[0].name");
        expectField(app, with(hello(1, Map.of(), 60), "colour", "red"), "colour");
        expectField(app, with(hello(1, Map.of(), 60), "env", List.of(Map.of("name", "OK", "value", "a\u0000b"))), "env[0].value");
        expectField(app, with(hello(1, Map.of(), 60), "args", List.of("fine", "cut\u0000short")), "args[1]");
        asAdmin().contentType(ContentType.JSON).body("x".repeat(2_000_000)).post("/api/apps/" + app + "/releases")
                .then().statusCode(413).contentType("application/problem+json");
        asAdmin().contentType(ContentType.JSON).body(hello(1, Map.of(), 60)).post("/api/apps/no-such-app/releases")
                .then().statusCode(404).contentType("application/problem+json");
        asAdmin().get("/api/apps/" + app + "/releases").then().statusCode(200).body("size()", equalTo(0));
        asAdmin().get("/api/apps/" + app + "/history").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void aCanaryServesBesideTheOldReleaseUntilPromotedOrAborted() throws Exception {
        String app = newApp();
        release(app, hello(3, Map.of(), 60));
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(60));

        Map<String, Object> v2 = hello(3, Map.of("GREETING", "v2"), 60);
        v2.put("strategy", Map.of("maxSurge", 1, "maxUnavailable", 0, "gracePeriodSeconds", 5,
                "progressDeadlineSeconds", 60, "canary", Map.of("weight", 10)));
        assertEquals(2, release(app, v2));
        JsonPath paused = awaitRollout(app, 2, "CANARY", Duration.ofSeconds(60));
        assertEquals("canary", paused.getString("kind"));
        assertEquals(10, paused.getInt("canaryWeight"));
        assertTrue(paused.getString("reason").contains("about 10% of the traffic"), paused.getString("reason"));
        // one canary instance beside all three of v1, and it stays that way while paused
        Thread.sleep(2000);
        List<Map<String, Object>> serving = asAdmin().get("/api/apps/" + app + "/instances").jsonPath()
                .getList("findAll { !it.terminating }");
        assertEquals(3, serving.stream().filter(i -> ((Number) i.get("release")).intValue() == 1).count(), serving.toString());
        assertEquals(1, serving.stream().filter(i -> ((Number) i.get("release")).intValue() == 2).count(), serving.toString());
        asAdmin().get("/api/apps/" + app + "/rollouts/current").then().body("state", equalTo("CANARY"));

        asAdmin().post("/api/apps/" + app + "/rollouts/current/promote").then().statusCode(202)
                .body("state", equalTo("PROGRESSING"));
        awaitRollout(app, 2, "COMPLETED", Duration.ofSeconds(60));
        awaitInstances(app, 3, 2);

        Map<String, Object> v3 = hello(3, Map.of("GREETING", "v3"), 60);
        v3.put("strategy", Map.of("canary", Map.of("weight", 50)));
        assertEquals(3, release(app, v3));
        awaitRollout(app, 3, "CANARY", Duration.ofSeconds(60));
        asAdmin().post("/api/apps/" + app + "/rollouts/current/abort").then().statusCode(202)
                .body("kind", equalTo("rollback")).body("toRelease", equalTo(2));
        awaitRollout(app, 2, "COMPLETED", Duration.ofSeconds(60));
        awaitInstances(app, 3, 2);
        asAdmin().get("/api/apps/" + app + "/rollouts").then()
                .body("find { it.toRelease == 3 }.state", equalTo("ROLLED_BACK"))
                .body("find { it.toRelease == 3 }.reason", containsString("canary aborted by"));
        asAdmin().post("/api/apps/" + app + "/rollouts/current/promote").then().statusCode(409);
        assertTrue(KafkaEvents.await(Topics.DEPLOYMENTS, e -> app.equals(e.subject())
                && e.data() instanceof io.berth.events.deployment.CanaryAborted a && a.release() == 3,
                Duration.ofSeconds(20)).isPresent());
        assertTrue(KafkaEvents.await(Topics.DEPLOYMENTS, e -> app.equals(e.subject())
                && e.data() instanceof io.berth.events.deployment.CanaryPromoted p && p.release() == 2,
                Duration.ofSeconds(20)).isPresent());
    }

    static Map<String, Object> with(Map<String, Object> spec, String key, Object value) {
        spec.put(key, value);
        return spec;
    }

    static void expectField(String app, Map<String, Object> spec, String field) {
        asAdmin().contentType(ContentType.JSON).body(spec).post("/api/apps/" + app + "/releases")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field)).body("detail", containsString(field));
    }
}

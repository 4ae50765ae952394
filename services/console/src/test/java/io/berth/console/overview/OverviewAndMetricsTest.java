package io.berth.console.overview;

import static io.berth.common.testing.TestAuth.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.Directory;
import io.berth.common.testing.EveryEndpoint;
import io.berth.common.testing.KafkaEvents;
import io.berth.common.testing.TwoTeams;
import io.berth.console.proxy.TargetService;
import io.berth.events.CloudEvent;
import io.berth.events.EventData;
import io.berth.events.Topics;
import io.berth.events.deployment.AppCreated;
import io.berth.events.deployment.ReleaseCreated;
import io.berth.events.deployment.RolloutCompleted;
import io.berth.events.deployment.RolloutFailed;
import io.berth.events.deployment.RolloutStarted;
import io.berth.events.instance.InstanceState;
import io.berth.events.instance.InstanceStateChanged;
import io.berth.events.metric.BackendStats;
import io.berth.events.metric.InstanceUsage;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The overview and the charts from events published on the real broker as deploy, the agent and the
 * gateway publish them; seen by team A's developer, hidden from team B's.
 */
@QuarkusTest
class OverviewAndMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static TwoTeams teams;
    private static String running;
    private static String failed;
    private static String other;

    @BeforeEach
    void publishOnce() throws InterruptedException {
        if (teams != null) {
            return;
        }
        teams = TwoTeams.create();
        running = teams.own("web-" + teams.run, teams.teamA);
        failed = teams.own("api-" + teams.run, teams.teamA);
        other = teams.own("db-" + teams.run, teams.teamB);

        publish(Topics.DEPLOYMENTS, new AppCreated(running, teams.teamA));
        publish(Topics.DEPLOYMENTS, new ReleaseCreated(running, 1, 2, "dev"));
        publish(Topics.DEPLOYMENTS, new RolloutStarted(running, "r1-" + teams.run, null, 1, 2));
        publish(Topics.INSTANCES, instance(running, "w1", InstanceState.STARTING, 1));
        publish(Topics.INSTANCES, instance(running, "w1", InstanceState.READY, 2));
        publish(Topics.INSTANCES, instance(running, "w2", InstanceState.READY, 5));
        // a late copy of an older change: the newer one stays
        publish(Topics.INSTANCES, instance(running, "w2", InstanceState.STARTING, 4));
        publish(Topics.DEPLOYMENTS, new RolloutCompleted(running, "r1-" + teams.run, 1));
        publish(Topics.METRICS, new BackendStats(running, 1000, 40.0, 38, 2, 12.5, 0, 3, 2));
        publish(Topics.METRICS, new InstanceUsage(running, "w1", 20.0, 100_000_000L));
        publish(Topics.METRICS, new InstanceUsage(running, "w2", 30.0, 150_000_000L));

        publish(Topics.DEPLOYMENTS, new AppCreated(failed, teams.teamA));
        publish(Topics.DEPLOYMENTS, new ReleaseCreated(failed, 1, 1, "dev"));
        publish(Topics.DEPLOYMENTS, new RolloutStarted(failed, "f1-" + teams.run, null, 1, 1));
        publish(Topics.DEPLOYMENTS, new RolloutCompleted(failed, "f1-" + teams.run, 1));
        publish(Topics.DEPLOYMENTS, new ReleaseCreated(failed, 2, 1, "dev"));
        publish(Topics.DEPLOYMENTS, new RolloutStarted(failed, "f2-" + teams.run, 1, 2, 1));
        publish(Topics.DEPLOYMENTS, new RolloutFailed(failed, "f2-" + teams.run, 2, "no instance became Ready", 1));
        publish(Topics.DEPLOYMENTS, new RolloutStarted(failed, "f3-" + teams.run, 2, 1, 1));

        publish(Topics.DEPLOYMENTS, new AppCreated(other, teams.teamB));
    }

    @AfterAll
    static void cleanUp() {
        if (teams != null) {
            teams.close();
        }
    }

    @Test
    void theOverviewShowsEachAppOfTheCallersTeams() throws InterruptedException {
        // the overview's traffic is the last 30 s of samples, and the tests before this one can take
        // longer than that: a sample of its own, now
        publish(Topics.METRICS, new BackendStats(running, 1000, 40.0, 38, 2, 12.5, 0, 3, 2));
        JsonPath overview = awaitOverview(teams.devA, running, "running",
                o -> o.get("apps.find { it.name == '" + running + "' }.requestsPerSecond") != null);
        assertNotNull(overview.getString("generatedAt"));
        assertEquals("berth.internal", overview.getString("dnsZone"), "the registrar's zone, for the app's DNS name");
        String app = "apps.find { it.name == '" + running + "' }";
        assertEquals(teams.teamA, overview.getString(app + ".team"));
        assertEquals(1, overview.getInt(app + ".currentRelease"));
        assertEquals(1, overview.getInt(app + ".targetRelease"));
        assertEquals(2, overview.getInt(app + ".replicas"));
        assertEquals(2, overview.getInt(app + ".instancesReady"));
        assertEquals(2, overview.getInt(app + ".instancesTotal"));
        assertEquals(40.0, overview.getDouble(app + ".requestsPerSecond"), 0.001);
        assertEquals(0.05, overview.getDouble(app + ".errorRate"), 0.001);
        assertEquals(12.5, overview.getDouble(app + ".latencyMillis"), 0.001);
        assertEquals(1, overview.getInt(app + ".lastDeploy.release"));
        assertEquals("COMPLETED", overview.getString(app + ".lastDeploy.outcome"));
        assertNotNull(overview.getString(app + ".lastDeploy.at"));

        JsonPath again = awaitOverview(teams.devA, failed, "failed");
        String bad = "apps.find { it.name == '" + failed + "' }";
        assertEquals("ROLLED_BACK", again.getString(bad + ".lastDeploy.outcome"));
        assertEquals(2, again.getInt(bad + ".lastDeploy.release"));
        assertEquals(1, again.getInt(bad + ".currentRelease"));

        List<String> names = again.getList("apps.name");
        assertFalse(names.contains(other), "team B's app is not in team A's overview");
        assertEquals(names.stream().sorted().toList(), names, "sorted by name");
    }

    @Test
    void anotherTeamSeesNeitherTheAppNorItsCharts() throws InterruptedException {
        JsonPath overviewB = awaitOverview(teams.devB, other, "new");
        List<String> names = overviewB.getList("apps.name");
        assertFalse(names.contains(running));
        assertFalse(names.contains(failed));
        String path = "/api/console/apps/" + running + "/metrics";
        assertTrue(TwoTeams.isHidden(Directory.as(teams.devB).get(path), running));
        // and exactly like an app that does not exist
        String nowhere = "nowhere-" + teams.run;
        assertTrue(TwoTeams.isHidden(asAdmin().get("/api/console/apps/" + nowhere + "/metrics"), nowhere));
        assertTrue(TwoTeams.isHidden(Directory.as(teams.devB).get("/api/console/apps/" + nowhere + "/metrics"), nowhere));
    }

    @Test
    void everyAppOperationHidesAnotherTeamsAppAndAViewerReadsOwn() throws InterruptedException {
        awaitOverview(teams.devA, running, "running");
        List<EveryEndpoint.Operation> operations = EveryEndpoint.appScoped();
        assertTrue(operations.size() >= 2, "operations: " + operations);
        for (EveryEndpoint.Operation operation : operations) {
            var hidden = Directory.as(teams.devB).request(operation.method(), operation.path(running));
            assertTrue(TwoTeams.isHidden(hidden, running), operation + " by team B: " + hidden.asString());
            Directory.as(teams.viewerA).request(operation.method(), operation.path(running)).then().statusCode(200);
        }
        assertTrue(Directory.as(teams.viewerA).get("/api/console/overview").jsonPath().getList("apps.name").contains(running));
    }

    @Test
    void theChartsHoldTheSamplesInTenSecondSteps() throws InterruptedException {
        awaitOverview(teams.devA, running, "running");
        String path = "/api/console/apps/" + running + "/metrics";
        JsonPath metrics = Directory.as(teams.devA).get(path + "?minutes=5").then().statusCode(200)
                .body("app", equalTo(running))
                .body("stepSeconds", equalTo(10))
                .body("points", hasSize(30))
                .extract().jsonPath();
        List<Map<String, Object>> points = metrics.getList("points");
        Map<String, Object> traffic = points.stream().filter(p -> p.get("requestsPerSecond") != null).findFirst()
                .orElseThrow(() -> new AssertionError("no step holds the gateway's sample: " + points));
        assertEquals(40.0, ((Number) traffic.get("requestsPerSecond")).doubleValue(), 0.001);
        assertEquals(12.5, ((Number) traffic.get("latencyMillis")).doubleValue(), 0.001);
        assertEquals(2, ((Number) traffic.get("responses5xx")).intValue());
        Map<String, Object> usage = points.stream().filter(p -> p.get("cpuPercent") != null).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no step holds the instances' samples: " + points));
        assertNotNull(usage.get("instances"));
        // the oldest first, 10 s apart
        java.time.Instant first = java.time.Instant.parse((String) points.get(0).get("at"));
        java.time.Instant second = java.time.Instant.parse((String) points.get(1).get("at"));
        assertEquals(Duration.ofSeconds(10), Duration.between(first, second));

        Directory.as(teams.devA).get(path).then().statusCode(200).body("points", hasSize(180));
        Directory.as(teams.devA).get(path + "?minutes=60").then().statusCode(200).body("points", hasSize(360));
    }

    @Test
    void theInstancesTableHasEachInstancesStateAndLastUsage() throws InterruptedException {
        awaitOverview(teams.devA, running, "running");
        String path = "/api/console/apps/" + running + "/instances";
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (Directory.as(teams.devA).get(path).jsonPath().getList("findAll { it.cpuPercent != null }").size() < 2
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        Directory.as(teams.devA).get(path).then().statusCode(200)
                .body("instance", equalTo(List.of("w1", "w2")))
                .body("state", equalTo(List.of("READY", "READY")))
                .body("release", equalTo(List.of(1, 1)))
                .body("cpuPercent", equalTo(List.of(20.0f, 30.0f)))
                .body("memoryBytes", equalTo(List.of(100_000_000, 150_000_000)))
                .body("sampledAt[0]", notNullValue());
        assertTrue(TwoTeams.isHidden(Directory.as(teams.devB).get(path), running));
    }

    @Test
    void aWindowOutsideOneToSixtyMinutesIsABadRequestNamingTheField() throws InterruptedException {
        awaitOverview(teams.devA, running, "running");
        String path = "/api/console/apps/" + running + "/metrics?minutes=";
        for (String bad : List.of("0", "61", "ten", "-5", "1.5")) {
            Directory.as(teams.devA).get(path + bad).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("minutes"));
        }
    }

    @Test
    void anAppWhoseDeployEventsAgedOutIsFilledInFromDeploysAnswer() throws InterruptedException {
        // the target service standing in for deploy lists it; no event of it was ever published
        String app = TargetService.AGED_OUT_APP;
        JsonPath overview = awaitOverview(io.berth.common.testing.TestAuth.ADMIN_TOKEN, app, "degraded");
        String row = "apps.find { it.name == '" + app + "' }";
        assertEquals("old-team", overview.getString(row + ".team"));
        assertEquals(3, overview.getInt(row + ".replicas"));
        assertEquals(4, overview.getInt(row + ".currentRelease"));
        assertEquals(4, overview.getInt(row + ".targetRelease"));
        assertNull(overview.get(row + ".lastDeploy"));
        // no directory entry gives it to a team: members do not see it
        assertFalse(Directory.as(teams.devA).get("/api/console/overview").jsonPath().getList("apps.name").contains(app));
    }

    @Test
    void anAppWithNoReleaseIsNew() throws InterruptedException {
        JsonPath overview = awaitOverview(teams.devB, other, "new");
        String app = "apps.find { it.name == '" + other + "' }";
        assertEquals(0, overview.getInt(app + ".instancesTotal"));
        assertNull(overview.get(app + ".lastDeploy"));
        assertNull(overview.get(app + ".currentRelease"));
        Directory.as(teams.devB).get("/api/console/overview").then()
                .body(app + ".requestsPerSecond", nullValue())
                .body(app + ".team", equalTo(teams.teamB))
                .body("generatedAt", notNullValue());
    }

    /** Waits until the caller's overview shows {@code app} with {@code status}; returns that overview. */
    private static JsonPath awaitOverview(String token, String app, String status) throws InterruptedException {
        return awaitOverview(token, app, status, overview -> true);
    }

    private static JsonPath awaitOverview(String token, String app, String status,
            java.util.function.Predicate<JsonPath> and) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = Directory.as(token).get("/api/console/overview").then().statusCode(200).extract().jsonPath();
            if (status.equals(last.getString("apps.find { it.name == '" + app + "' }.status")) && and.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(app + " not '" + status + "' within " + WAIT + ": "
                + (last == null ? "" : last.getString("apps.find { it.name == '" + app + "' }")));
    }

    private static InstanceStateChanged instance(String app, String id, InstanceState state, long version) {
        return new InstanceStateChanged(app, id, 1, state, "127.0.0.1", 20000, version, null);
    }

    private static void publish(String topic, EventData data) {
        KafkaEvents.publish(topic, CloudEvent.of("/test/console", data));
    }
}

package io.berth.gateway.it;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.KafkaEvents;
import io.berth.events.Topics;
import io.berth.events.metric.BackendStats;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway controller against a real HAProxy (its own, see {@link HaproxyTestResource}) and the
 * real Kafka: registrations make apps routable through HAProxy's frontend, deregistrations drain,
 * new apps reload hitlessly, a killed instance is taken out by the health check while retries hide
 * it, and backend statistics go to berth.metrics.
 */
@QuarkusTest
@QuarkusTestResource(HaproxyTestResource.class)
class GatewayControllerTest {
    private static Registrations registrations;
    private static GatewayClient client;

    @BeforeAll
    static void clients() {
        registrations = new Registrations();
        registrations.warmUp();
        client = new GatewayClient();
    }

    @AfterAll
    static void close() throws Exception {
        registrations.close();
        client.close();
    }

    private static String newApp() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void registeredInstancesAreRoutableByHostWithinAShortBound() throws Exception {
        String app = newApp();
        try (TestBackend a = TestBackend.start("a"); TestBackend b = TestBackend.start("b")) {
            long t0 = registrations.register(app, "a", a.port(), 100);
            long newApp = awaitServedBy(app, Set.of("a"), Duration.ofSeconds(15), t0);
            long t1 = registrations.register(app, "b", b.port(), 100);
            long joined = awaitServedBy(app, Set.of("a", "b"), Duration.ofSeconds(10), t1);
            System.out.printf("propagation: new app (render + reload) %d ms, new instance of a routed app %d ms%n",
                    newApp, joined);
            assertTrue(joined < 1000, "a new instance took " + joined + " ms to be served");

            JsonPath routes = asAdmin().get("/api/gateway/routes").then().statusCode(200).extract().jsonPath();
            assertEquals(app + "." + HaproxyTestResource.DOMAIN, routes.getString("find { it.app == '" + app + "' }.host"));
            assertEquals("http GET /health", routes.getString("find { it.app == '" + app + "' }.healthCheck"));
            List<Map<String, Object>> servers = routes.getList("find { it.app == '" + app + "' }.servers");
            assertEquals(2, servers.size(), servers.toString());
            servers.forEach(s -> assertEquals(Boolean.TRUE, s.get("registered"), s.toString()));
        }
    }

    /**
     * Registration to the instance's first request through HAProxy, and deregistration to its last,
     * over repeated transitions of one routed app (a small bench/registration).
     */
    @Test
    void propagationOverRepeatedTransitions() throws Exception {
        String app = newApp();
        int transitions = 20;
        try (TestBackend stable = TestBackend.start("stable"); TestBackend moving = TestBackend.start("moving")) {
            registrations.register(app, "stable", stable.port(), 100);
            awaitServedBy(app, Set.of("stable"), Duration.ofSeconds(15), System.nanoTime());
            long[] up = new long[transitions];
            long[] down = new long[transitions];
            for (int i = 0; i < transitions; i++) {
                String instance = "m" + i;
                long registered = registrations.register(app, instance, moving.port(), 100);
                up[i] = awaitServedBy(app, Set.of("moving"), Duration.ofSeconds(15), registered);
                long deregistered = registrations.deregister(app, instance);
                long lastNew = deregistered;
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                int stableInARow = 0;
                while (stableInARow < 20 && System.nanoTime() < deadline) { // 20 in a row: it is out of rotation
                    GatewayClient.Reply reply = client.get(app);
                    assertEquals(200, reply.status(), reply.body());
                    if (reply.body().equals("moving")) {
                        lastNew = System.nanoTime();
                        stableInARow = 0;
                    } else {
                        stableInARow++;
                    }
                }
                assertTrue(stableInARow >= 20, "moving still served 15 s after deregistration");
                down[i] = (lastNew - deregistered) / 1_000_000;
                awaitRoute(app, servers -> servers.size() == 1, Duration.ofSeconds(15));
            }
            java.util.Arrays.sort(up);
            java.util.Arrays.sort(down);
            System.out.printf("propagation over %d transitions: registered -> first request p50 %d ms, p99 %d ms, max %d ms;"
                    + " deregistered -> last new request p50 %d ms, p99 %d ms, max %d ms%n", transitions,
                    up[transitions / 2], up[(int) Math.ceil(transitions * 0.99) - 1], up[transitions - 1],
                    down[transitions / 2], down[(int) Math.ceil(transitions * 0.99) - 1], down[transitions - 1]);
            assertTrue(up[(int) Math.ceil(transitions * 0.99) - 1] < 500, "p99 registration propagation over 500 ms");
            assertTrue(down[(int) Math.ceil(transitions * 0.99) - 1] < 500, "p99 deregistration propagation over 500 ms");
        }
    }

    @Test
    void anUnknownHostGetsTheJson503() throws Exception {
        GatewayClient.Reply reply = client.get("nosuchapp" + UUID.randomUUID().toString().substring(0, 6));
        assertEquals(503, reply.status());
        assertTrue(reply.body().contains("no app is routed"), reply.body());
    }

    @Test
    void aDeregisteredInstanceDrainsWithoutAFailedRequest() throws Exception {
        String app = newApp();
        try (TestBackend a = TestBackend.start("a"); TestBackend b = TestBackend.start("b")) {
            registrations.register(app, "a", a.port(), 100);
            registrations.register(app, "b", b.port(), 100);
            awaitServedBy(app, Set.of("a", "b"), Duration.ofSeconds(15), System.nanoTime());
            GatewayClient.Load load = client.load(app, 4);
            try (load) {
                Thread.sleep(500);
                long t0 = System.nanoTime();
                registrations.deregister(app, "b");
                awaitRoute(app, servers -> servers.stream().noneMatch(s -> "b".equals(s.get("instance"))),
                        Duration.ofSeconds(10));
                System.out.printf("deregistration to removal from HAProxy: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                b.close(); // the runtime stops the instance only after the gateway let it go
                long servedByB = b.served.get();
                Thread.sleep(1000);
                assertEquals(servedByB, b.served.get(), "b got requests after it was removed");
            }
            System.out.println("drain under load: " + load);
            assertTrue(load.total() > 100, load.toString());
            assertEquals(0, load.failed.get(), load.toString());
        }
    }

    @Test
    void aNewAppReloadsHaproxyWithoutAFailedRequestOnTheOthers() throws Exception {
        String existing = newApp();
        String added = newApp();
        try (TestBackend a = TestBackend.start("a"); TestBackend b = TestBackend.start("b");
                TestBackend c = TestBackend.start("c")) {
            registrations.register(existing, "a", a.port(), 100);
            registrations.register(existing, "b", b.port(), 100);
            awaitServedBy(existing, Set.of("a", "b"), Duration.ofSeconds(15), System.nanoTime());
            String workerBefore = asAdmin().get("/api/gateway/haproxy").then().extract().path("Pid");
            GatewayClient.Load load = client.load(existing, 4);
            try (load) {
                Thread.sleep(500);
                registrations.register(added, "c", c.port(), 100);
                awaitServedBy(added, Set.of("c"), Duration.ofSeconds(15), System.nanoTime());
                Thread.sleep(1000);
            }
            String workerAfter = asAdmin().get("/api/gateway/haproxy").then().extract().path("Pid");
            System.out.println("reload under load: " + load);
            assertNotEquals(workerBefore, workerAfter, "a new app should have reloaded HAProxy");
            assertTrue(load.total() > 100, load.toString());
            assertEquals(0, load.failed.get(), load.toString());
            // the runtime state survived the reload: both servers of the existing app still serve
            awaitServedBy(existing, Set.of("a", "b"), Duration.ofSeconds(15), System.nanoTime());
        }
    }

    @Test
    void aKilledInstanceIsMarkedDownAndRequestsStillSucceed() throws Exception {
        String app = newApp();
        try (TestBackendProcess a = TestBackendProcess.start("a"); TestBackendProcess b = TestBackendProcess.start("b")) {
            registrations.register(app, "a", a.port(), 100);
            registrations.register(app, "b", b.port(), 100);
            awaitServedBy(app, Set.of("a", "b"), Duration.ofSeconds(15), System.nanoTime());
            awaitRoute(app, servers -> servers.stream().allMatch(s -> String.valueOf(s.get("state")).startsWith("UP")),
                    Duration.ofSeconds(10));
            GatewayClient.Load load = client.load(app, 4);
            try (load) {
                Thread.sleep(500);
                long t0 = System.nanoTime();
                b.kill9();
                awaitRoute(app, servers -> servers.stream()
                        .anyMatch(s -> "b".equals(s.get("instance")) && "DOWN".equals(s.get("state"))),
                        Duration.ofSeconds(10));
                System.out.printf("kill -9 to DOWN by health check: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
                Thread.sleep(500);
            }
            System.out.println("kill -9 under load: " + load);
            assertTrue(load.total() > 100, load.toString());
            assertEquals(0, load.failed.get(), load.toString());
        }
    }

    @Test
    void aMissedEventIsHealedByThePeriodicReconcile() throws Exception {
        String app = newApp();
        try (TestBackend a = TestBackend.start("a"); TestBackend b = TestBackend.start("b")) {
            registrations.register(app, "a", a.port(), 100);
            awaitServedBy(app, Set.of("a"), Duration.ofSeconds(15), System.nanoTime());
            long t0 = System.nanoTime();
            registrations.registerWithoutEvent(app, "b", b.port(), 100);
            long healed = awaitServedBy(app, Set.of("a", "b"), Duration.ofSeconds(10), t0);
            System.out.printf("a registration without its event was routed after %d ms (reconcile interval 2s)%n", healed);
        }
    }

    @Test
    void weightsSplitTheTraffic() throws Exception {
        String app = newApp();
        try (TestBackend stable = TestBackend.start("stable"); TestBackend canary = TestBackend.start("canary")) {
            registrations.register(app, "stable", stable.port(), 90);
            registrations.register(app, "canary", canary.port(), 10);
            awaitServedBy(app, Set.of("stable", "canary"), Duration.ofSeconds(15), System.nanoTime());
            int canaryHits = 0;
            for (int i = 0; i < 400; i++) {
                if (client.get(app).body().equals("canary")) {
                    canaryHits++;
                }
            }
            System.out.printf("weights 90/10: canary served %d of 400%n", canaryHits);
            assertTrue(canaryHits >= 20 && canaryHits <= 70, "canary served " + canaryHits + " of 400");

            registrations.register(app, "canary", canary.port(), 90); // promote: same weight as stable
            awaitRoute(app, servers -> servers.stream()
                    .anyMatch(s -> "canary".equals(s.get("instance")) && Integer.valueOf(90).equals(s.get("weight"))),
                    Duration.ofSeconds(15));
        }
    }

    @Test
    void backendStatsArriveOnTheMetricsTopic() throws Exception {
        String app = newApp();
        try (TestBackend a = TestBackend.start("a"); TestBackend b = TestBackend.start("b")) {
            registrations.register(app, "a", a.port(), 100);
            registrations.register(app, "b", b.port(), 100);
            awaitServedBy(app, Set.of("a", "b"), Duration.ofSeconds(15), System.nanoTime());
            try (GatewayClient.Load load = client.load(app, 2)) {
                var record = KafkaEvents.await(Topics.METRICS, e -> e.data() instanceof BackendStats s
                        && s.app().equals(app) && s.requestsPerSecond() > 10 && s.responses2xx() > 0
                        && s.activeServers() == 2, Duration.ofSeconds(20));
                assertTrue(record.isPresent(), "no BackendStats for " + app + " with traffic");
                BackendStats stats = (BackendStats) record.get().value().data();
                System.out.println("BackendStats: " + stats);
                assertEquals(app, record.get().key());
                assertEquals(0, stats.responses5xx());
                assertTrue(stats.intervalMillis() >= 500 && stats.intervalMillis() <= 5000, stats.toString());
            }
        }
    }

    @Test
    void routesNeedAToken() {
        given().get("/api/gateway/routes").then().statusCode(401);
        asAdmin().get("/api/gateway/routes").then().statusCode(200);
    }

    /** Polls through HAProxy until every name in {@code names} has answered; @return ms since {@code t0}. */
    private static long awaitServedBy(String app, Set<String> names, Duration timeout, long t0) throws Exception {
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        GatewayClient.Reply last = null;
        while (System.nanoTime() < deadline) {
            last = client.tryGet(app);
            if (last.status() == 200) {
                seen.add(last.body());
                if (seen.containsAll(names)) {
                    return (System.nanoTime() - t0) / 1_000_000;
                }
            } else {
                Thread.sleep(2);
            }
        }
        throw new AssertionError(app + " was not served by all of " + names + " within " + timeout + "; saw " + seen
                + ", last " + last);
    }

    private static void awaitRoute(String app, Predicate<List<Map<String, Object>>> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Map<String, Object>> servers = List.of();
        while (System.nanoTime() < deadline) {
            JsonPath routes = asAdmin().get("/api/gateway/routes").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> found = routes.getList("find { it.app == '" + app + "' }.servers");
            servers = found == null ? List.of() : found;
            if (condition.test(servers)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("route of " + app + " did not get there within " + timeout + ": " + servers);
    }
}

package io.berth.gateway.it;

import static io.berth.common.testing.Directory.as;
import static io.berth.common.testing.TestAuth.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.EveryEndpoint;
import io.berth.common.testing.TwoTeams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Team A's and team B's apps routed through the tests' HAProxy, against the gateway API: a member
 * sees only their teams' routes, another team's app named in {@code ?app=} is a 404, and HAProxy's
 * own state is the platform's alone; the deploy service's call (service token) still sees everything.
 */
@QuarkusTest
@QuarkusTestResource(HaproxyTestResource.class)
class TenancyTest {
    static final String SERVICE_TOKEN = "berth-test-service-token";
    static TwoTeams teams;
    static Registrations registrations;
    static String appA;
    static String appB;

    /** Once: a @BeforeAll method runs before the HTTP client knows the test port. */
    @BeforeEach
    void teamsWithRoutedApps() throws InterruptedException {
        if (teams != null) {
            return;
        }
        teams = TwoTeams.create();
        registrations = new Registrations();
        appA = teams.own("t" + UUID.randomUUID().toString().substring(0, 8), teams.teamA);
        appB = teams.own("t" + UUID.randomUUID().toString().substring(0, 8), teams.teamB);
        // servers on a port nothing listens on: a route needs a registration, not a live instance
        registrations.register(appA, "a1", 9, 100);
        registrations.register(appB, "b1", 9, 100);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (asAdmin().get("/api/gateway/routes").jsonPath().getList("app").containsAll(List.of(appA, appB)) == false) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("routes of " + appA + " and " + appB + " not there within 15 s");
            }
            Thread.sleep(50);
        }
        teams.awaitOwned(teams.devA, appA, "/api/gateway/routes?app=" + appA);
        teams.awaitOwned(teams.devB, appB, "/api/gateway/routes?app=" + appB);
    }

    @AfterAll
    static void cleanUp() {
        if (teams != null) {
            registrations.deregister(appA, "a1");
            registrations.deregister(appB, "b1");
            registrations.close();
            teams.close();
        }
    }

    @Test
    void eachTeamListsOnlyItsOwnRoutes() {
        as(teams.devA).get("/api/gateway/routes").then().statusCode(200).body("app", equalTo(List.of(appA)));
        as(teams.viewerA).get("/api/gateway/routes").then().statusCode(200).body("app", equalTo(List.of(appA)));
        as(teams.devB).get("/api/gateway/routes").then().statusCode(200).body("app", equalTo(List.of(appB)));
        asAdmin().get("/api/gateway/routes").then().statusCode(200).body("app", hasItem(appA)).body("app", hasItem(appB));
        as(SERVICE_TOKEN).get("/api/gateway/routes").then().statusCode(200).body("app", hasItem(appA)).body("app", hasItem(appB));
    }

    @Test
    void anotherTeamsAppInTheQueryIsNotFound() {
        Response response = as(teams.devB).get("/api/gateway/routes?app=" + appA);
        assertTrue(TwoTeams.isHidden(response, appA), response.asString());
        assertFalse(response.asString().contains("a1"), "no server of team A's app");
        as(teams.viewerA).get("/api/gateway/routes?app=" + appA).then().statusCode(200).body("app", equalTo(List.of(appA)));
        // the deploy service's TrafficGate asks about any app with the service token
        as(SERVICE_TOKEN).get("/api/gateway/routes?app=" + appB).then().statusCode(200).body("app", equalTo(List.of(appB)));
        // the API has no app path: were one added, it would have to be checked here
        assertTrue(EveryEndpoint.appScoped().isEmpty(), "app-scoped operations: " + EveryEndpoint.appScoped());
    }

    @Test
    void haproxysOwnStateAndTheMetricsAreThePlatformsOnly() {
        for (String member : List.of(teams.devA, teams.viewerA)) {
            as(member).get("/api/gateway/haproxy").then().statusCode(403).contentType("application/problem+json");
            as(member).get("/q/metrics").then().statusCode(403);
        }
        asAdmin().get("/api/gateway/haproxy").then().statusCode(200);
        as(SERVICE_TOKEN).get("/api/gateway/haproxy").then().statusCode(200);
    }
}

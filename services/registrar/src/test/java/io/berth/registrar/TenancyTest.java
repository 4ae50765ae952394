package io.berth.registrar;

import static io.berth.common.testing.Directory.as;
import static io.berth.common.testing.TestAuth.asAdmin;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.EveryEndpoint;
import io.berth.common.testing.TwoTeams;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Team A's and team B's apps, each with a running instance on the real agent, against the registry
 * API: a member lists and reads only their teams' apps, and another team's app is answered as one
 * that does not exist on every app operation the API documents.
 */
@QuarkusTest
@QuarkusTestResource(AgentProcess.class)
@QuarkusTestResource(ConsulStub.class)
class TenancyTest {
    static TwoTeams teams;
    static String appA;
    static String appB;

    /** Once: a @BeforeAll method runs before the HTTP client knows the test port. */
    @BeforeEach
    void teamsWithRunningApps() throws InterruptedException {
        if (teams != null) {
            return;
        }
        teams = TwoTeams.create();
        appA = teams.own(RegistrationTest.newApp(), teams.teamA);
        appB = teams.own(RegistrationTest.newApp(), teams.teamB);
        for (String app : List.of(appA, appB)) {
            RegistrationTest.agent().startHello(app + "-1-t1", app, 1);
        }
        for (String app : List.of(appA, appB)) {
            RegistrationTest.agent().awaitReady(app + "-1-t1");
            RegistrationTest.await(app + " registered", () -> asAdmin().get("/api/registry/apps/" + app + "/instances")
                    .jsonPath().getList("findAll { it.registered }").size() == 1);
        }
        teams.awaitOwned(teams.devA, appA, "/api/registry/apps/" + appA + "/instances");
        teams.awaitOwned(teams.devB, appB, "/api/registry/apps/" + appB + "/instances");
    }

    @AfterAll
    static void cleanUp() {
        if (teams != null) {
            RegistrationTest.agent().stop(appA + "-1-t1", 0);
            RegistrationTest.agent().stop(appB + "-1-t1", 0);
            teams.close();
        }
    }

    @Test
    void eachTeamListsOnlyItsOwnApps() {
        as(teams.devA).get("/api/registry/apps").then().statusCode(200)
                .body("app", hasItem(appA)).body("app", not(hasItem(appB)));
        as(teams.viewerA).get("/api/registry/apps").then().statusCode(200)
                .body("app", hasItem(appA)).body("app", not(hasItem(appB)));
        as(teams.devB).get("/api/registry/apps").then().statusCode(200)
                .body("app", hasItem(appB)).body("app", not(hasItem(appA)));
        asAdmin().get("/api/registry/apps").then().statusCode(200).body("app", hasItem(appA)).body("app", hasItem(appB));
        // an app nobody owns (the registration tests' apps) is the platform's alone
        as(teams.devA).get("/api/registry/apps").then().body("app", org.hamcrest.Matchers.equalTo(List.of(appA)));
    }

    @Test
    void anotherTeamsAppIsNotFoundOnEveryOperation() {
        List<EveryEndpoint.Operation> operations = EveryEndpoint.appScoped();
        assertTrue(operations.size() >= 2, "operations: " + operations);
        for (EveryEndpoint.Operation operation : operations) {
            Response response = as(teams.devB).request(operation.method(), operation.path(appA));
            assertTrue(TwoTeams.isHidden(response, appA), operation + " by team B: " + response.asString());
            assertFalse(response.asString().contains(appA + "-1-t1"), operation + " leaks the instance");
            Response own = as(teams.viewerA).request(operation.method(), operation.path(appA));
            assertEquals(200, own.statusCode(), operation + " by team A's viewer: " + own.asString());
        }
        as(teams.devA).get("/api/registry/apps/" + appA + "/instances").then().statusCode(200)
                .body("instance", hasItem(appA + "-1-t1"));
    }

    @Test
    void metricsWithEveryTeamsAppsAreThePlatformsOnly() {
        as(teams.devA).get("/q/metrics").then().statusCode(403);
        asAdmin().get("/q/metrics").then().statusCode(200);
    }
}

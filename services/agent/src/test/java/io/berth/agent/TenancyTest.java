package io.berth.agent;

import static io.berth.common.testing.Directory.as;
import static io.berth.common.testing.TestAuth.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.EveryEndpoint;
import io.berth.common.testing.TwoTeams;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent's API and teams: starting and stopping instances and the node are the platform's
 * (a member gets 403, whatever their role); a member reads the instances of their teams' apps (by
 * the app's owner in the directory), another team's are answered as not existing, and a listing or
 * watch of every app is refused. The services and the platform admin keep every operation.
 */
@QuarkusTest
class TenancyTest {
    static final String SERVICE_TOKEN = "berth-test-service-token";
    static TwoTeams teams;
    static String teamAdmin;
    static String appA;
    static String instanceA;

    /** Once: a @BeforeAll method runs before the HTTP client knows the test port. */
    @BeforeEach
    void teamsWithAnInstance() throws InterruptedException {
        if (teams != null) {
            return;
        }
        teams = TwoTeams.create();
        teamAdmin = teams.token("admin-a-" + teams.run, Map.of(teams.teamA, "admin"));
        io.berth.common.testing.Directory.awaitAccepted(teamAdmin, TwoTeams.WAIT);
        appA = teams.own("ag-" + teams.run, teams.teamA);
        instanceA = appA + "-1-x";
        as(SERVICE_TOKEN).contentType(ContentType.JSON)
                .body(Map.of("id", instanceA, "app", appA, "release", 1, "command", List.of("sleep", "60")))
                .post("/api/instances").then().statusCode(201);
        teams.awaitOwned(teams.devA, appA, "/api/instances?app=" + appA);
    }

    @AfterAll
    static void cleanUp() {
        // the instance goes with the agent (the test profile stops instances on shutdown)
        if (teams != null) {
            teams.close();
        }
    }

    @Test
    void membersChangeNothingOnTheNode() {
        List<EveryEndpoint.Operation> operations = EveryEndpoint.documented(path -> path.startsWith("/api/"));
        assertTrue(operations.size() >= 6, "operations: " + operations);
        for (String member : List.of(teams.devA, teams.viewerA, teamAdmin)) {
            for (EveryEndpoint.Operation operation : operations) {
                if (!operation.changes() && !operation.template().equals("/api/node")) {
                    continue;
                }
                Response response = as(member).contentType(ContentType.JSON)
                        .body(Map.of("id", appA + "-intruder", "app", appA, "release", 1, "command", List.of("sleep", "1")))
                        .request(operation.method(), operation.path(appA).replace("/1", "/" + instanceA));
                assertEquals(403, response.statusCode(), operation + ": " + response.asString());
                assertEquals("application/problem+json", response.contentType(), operation.toString());
            }
            as(member).get("/q/metrics").then().statusCode(403);
        }
        asAdmin().get("/api/instances/" + instanceA).then().statusCode(200).body("state", org.hamcrest.Matchers.not("TERMINATING"));
        asAdmin().get("/api/instances/" + appA + "-intruder").then().statusCode(404);
    }

    @Test
    void aMemberReadsTheInstancesOfTheirTeamsAppsOnly() {
        for (String member : List.of(teams.devA, teams.viewerA)) {
            as(member).get("/api/instances?app=" + appA).then().statusCode(200).body("id", equalTo(List.of(instanceA)));
            as(member).get("/api/instances/" + instanceA).then().statusCode(200).body("app", equalTo(appA));
            as(member).get("/api/instances/" + instanceA + "/log").then().statusCode(200);
        }
        Response list = as(teams.devB).get("/api/instances?app=" + appA);
        assertTrue(TwoTeams.isHidden(list, appA), list.asString());
        Response watch = as(teams.devB).get("/api/instances/watch?app=" + appA);
        assertTrue(TwoTeams.isHidden(watch, appA), watch.asString());
        for (String path : List.of("/api/instances/" + instanceA, "/api/instances/" + instanceA + "/log")) {
            Response one = as(teams.devB).get(path);
            assertEquals(404, one.statusCode(), path);
            assertEquals("instance '" + instanceA + "' does not exist on this agent", one.jsonPath().getString("detail"));
        }
        // every app of the node at once spans every team
        for (String path : List.of("/api/instances", "/api/instances/watch")) {
            Response all = as(teams.devA).get(path);
            assertEquals(403, all.statusCode(), path);
            assertFalse(all.asString().contains(instanceA), path);
        }
    }

    @Test
    void theServicesAndThePlatformAdminKeepEveryOperation() {
        for (var caller : List.of(as(SERVICE_TOKEN), asAdmin())) {
            caller.get("/api/instances").then().statusCode(200);
        }
        as(SERVICE_TOKEN).get("/api/node").then().statusCode(200);
        as(SERVICE_TOKEN).get("/api/instances/" + instanceA).then().statusCode(200);
        as(SERVICE_TOKEN).get("/api/instances/none-" + teams.run).then().statusCode(404);
        // bad input from a service is still a 400 problem naming the field
        as(SERVICE_TOKEN).delete("/api/instances/none-" + teams.run + "?drainSeconds=-1").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString("drainSeconds")));
    }
}

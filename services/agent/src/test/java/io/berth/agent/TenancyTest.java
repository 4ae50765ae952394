package io.berth.agent;

import static io.berth.common.testing.Directory.as;
import static io.berth.common.testing.TestAuth.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The agent's API is internal to the platform: a team member, whatever their role and whichever
 * app they name, gets a 403 problem on every operation, the watch stream included, before any
 * instance is shown; the deploy and registrar services (service token) and the platform admin
 * keep every operation.
 */
@QuarkusTest
class TenancyTest {
    static final String SERVICE_TOKEN = "berth-test-service-token";
    static TwoTeams teams;
    static String teamAdmin;

    /** Once: a @BeforeAll method runs before the HTTP client knows the test port. */
    @BeforeEach
    void teams() throws InterruptedException {
        if (teams != null) {
            return;
        }
        teams = TwoTeams.create();
        teamAdmin = teams.token("admin-a-" + teams.run, Map.of(teams.teamA, "admin"));
        io.berth.common.testing.Directory.awaitAccepted(teamAdmin, TwoTeams.WAIT);
        teams.own("ag-" + teams.run, teams.teamA);
    }

    @AfterAll
    static void cleanUp() {
        if (teams != null) {
            teams.close();
        }
    }

    @Test
    void membersReachNoOperation() {
        List<EveryEndpoint.Operation> operations = EveryEndpoint.documented(path -> path.startsWith("/api/"));
        assertTrue(operations.size() >= 6, "operations: " + operations);
        for (String member : List.of(teams.devA, teams.viewerA, teamAdmin)) {
            for (EveryEndpoint.Operation operation : operations) {
                Response response = as(member).contentType(ContentType.JSON).body("{}")
                        .request(operation.method(), operation.path("ag-" + teams.run));
                assertEquals(403, response.statusCode(), operation + ": " + response.asString());
                assertEquals("application/problem+json", response.contentType(), operation.toString());
            }
            // naming their own team's app does not open the list or the stream
            as(member).get("/api/instances?app=ag-" + teams.run).then().statusCode(403);
            as(member).get("/api/instances/watch?app=ag-" + teams.run).then().statusCode(403)
                    .contentType("application/problem+json");
            as(member).get("/q/metrics").then().statusCode(403);
        }
    }

    @Test
    void theServicesAndThePlatformAdminKeepEveryOperation() {
        for (var caller : List.of(as(SERVICE_TOKEN), asAdmin())) {
            caller.get("/api/instances").then().statusCode(200);
        }
        as(SERVICE_TOKEN).get("/api/node").then().statusCode(200);
        as(SERVICE_TOKEN).get("/api/instances/none-" + teams.run).then().statusCode(404);
        // bad input from a service is still a 400 problem naming the field
        as(SERVICE_TOKEN).delete("/api/instances/none-" + teams.run + "?drainSeconds=-1").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.containsString("drainSeconds")));
    }
}

package io.berth.autoscaler;

import static io.berth.common.testing.Directory.as;
import static io.berth.common.testing.TestAuth.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.EveryEndpoint;
import io.berth.common.testing.TwoTeams;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Team A's and team B's apps with policies, against the autoscaling API: another team's app is
 * answered as one that does not exist on every operation (its policy and decisions stay unseen and
 * unchanged), and a viewer reads but changes nothing.
 */
@QuarkusTest
class TenancyTest {
    static TwoTeams teams;
    static String appA;
    static String appB;

    /** Once: a @BeforeAll method runs before the HTTP client knows the test port. */
    @BeforeEach
    void teamsWithPolicies() throws InterruptedException {
        if (teams != null) {
            return;
        }
        teams = TwoTeams.create();
        appA = teams.own(AutoscalerServiceTest.newApp(), teams.teamA);
        appB = teams.own(AutoscalerServiceTest.newApp(), teams.teamB);
        teams.awaitOwned(teams.devA, appA, "/api/apps/" + appA + "/autoscaling/decisions");
        teams.awaitOwned(teams.devB, appB, "/api/apps/" + appB + "/autoscaling/decisions");
        as(teams.devA).contentType(ContentType.JSON).body(AutoscalerServiceTest.with("maxReplicas", 5))
                .put("/api/apps/" + appA + "/autoscaling").then().statusCode(201);
        as(teams.devB).contentType(ContentType.JSON).body(AutoscalerServiceTest.policy())
                .put("/api/apps/" + appB + "/autoscaling").then().statusCode(201);
    }

    @AfterAll
    static void cleanUp() {
        if (teams != null) {
            teams.close();
        }
    }

    @Test
    void anotherTeamsAppIsNotFoundOnEveryOperation() {
        List<EveryEndpoint.Operation> operations = EveryEndpoint.appScoped();
        assertTrue(operations.size() >= 4, "operations: " + operations);
        for (EveryEndpoint.Operation operation : operations) {
            Response response = as(teams.devB).contentType(ContentType.JSON).body(AutoscalerServiceTest.with("maxReplicas", 9))
                    .request(operation.method(), operation.path(appA));
            assertTrue(TwoTeams.isHidden(response, appA), operation + " by team B: " + response.asString());
        }
        // team A's policy is still there, unchanged
        asAdmin().get("/api/apps/" + appA + "/autoscaling").then().statusCode(200).body("maxReplicas", equalTo(5));
        as(teams.devA).get("/api/apps/" + appA + "/autoscaling").then().statusCode(200).body("maxReplicas", equalTo(5));
    }

    @Test
    void aViewerReadsButChangesNothing() {
        for (EveryEndpoint.Operation operation : EveryEndpoint.appScoped()) {
            Response response = as(teams.viewerA).contentType(ContentType.JSON).body(AutoscalerServiceTest.with("maxReplicas", 9))
                    .request(operation.method(), operation.path(appA));
            if (operation.changes()) {
                assertEquals(403, response.statusCode(), operation + " by a viewer: " + response.asString());
                assertEquals("application/problem+json", response.contentType(), operation.toString());
            } else {
                assertNotEquals(403, response.statusCode(), operation.toString());
                assertNotEquals(404, response.statusCode(), operation + ": " + response.asString());
            }
        }
        asAdmin().get("/api/apps/" + appA + "/autoscaling").then().statusCode(200).body("maxReplicas", equalTo(5));
    }

    @Test
    void aDeveloperChangesTheirAppAndBadInputNamesTheField() {
        as(teams.devA).contentType(ContentType.JSON).body(AutoscalerServiceTest.with("maxReplicas", -1))
                .put("/api/apps/" + appA + "/autoscaling").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", org.hamcrest.Matchers.hasItem("maxReplicas"));
        asAdmin().get("/api/apps/" + appA + "/autoscaling").then().statusCode(200).body("maxReplicas", equalTo(5));
        as(teams.devB).delete("/api/apps/" + appB + "/autoscaling").then().statusCode(204);
        as(teams.devB).get("/api/apps/" + appB + "/autoscaling").then().statusCode(404)
                .body("detail", equalTo("app '" + appB + "' has no autoscaling policy"));
    }
}

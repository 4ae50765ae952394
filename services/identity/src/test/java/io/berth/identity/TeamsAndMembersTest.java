package io.berth.identity;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.berth.identity.IdentityApi.addMember;
import static io.berth.identity.IdentityApi.member;
import static io.berth.identity.IdentityApi.newTeam;
import static io.berth.identity.IdentityApi.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import io.berth.identity.IdentityApi.Member;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TeamsAndMembersTest {

    @Test
    void thePlatformAdminCreatesListsAndDeletesTeams() {
        String team = unique("team");
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", team)).post("/api/teams")
                .then().statusCode(201).header("Location", org.hamcrest.Matchers.endsWith("/api/teams/" + team))
                .body("name", equalTo(team)).body("createdBy", equalTo("admin"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", team)).post("/api/teams")
                .then().statusCode(409).contentType("application/problem+json");
        asAdmin().get("/api/teams").then().statusCode(200).body("name", hasItem(team));
        asAdmin().get("/api/teams/" + team).then().statusCode(200).body("name", equalTo(team));

        asAdmin().delete("/api/teams/" + team).then().statusCode(204);
        asAdmin().get("/api/teams/" + team).then().statusCode(404).contentType("application/problem+json");
        asAdmin().get("/api/teams").then().body("name", not(hasItem(team)));
    }

    @Test
    void aMemberSeesOnlyItsOwnTeamsAndAnotherTeamIsAsIfItDidNotExist() {
        Member alice = member("developer");
        String other = newTeam();

        alice.call().get("/api/teams").then().statusCode(200)
                .body("name", contains(alice.team())).body("[0].role", equalTo("developer"));
        alice.call().get("/api/teams/" + alice.team()).then().statusCode(200).body("role", equalTo("developer"));
        alice.call().get("/api/teams/" + other).then().statusCode(404);
        alice.call().get("/api/teams/" + other + "/members").then().statusCode(404);
        alice.call().get("/api/teams/no-such-team").then().statusCode(404);

        // only the platform admin creates and deletes teams
        alice.call().contentType(ContentType.JSON).body(Map.of("name", unique("team"))).post("/api/teams")
                .then().statusCode(403).contentType("application/problem+json");
        alice.call().delete("/api/teams/" + alice.team()).then().statusCode(403);
        asAdmin().get("/api/teams/" + alice.team()).then().statusCode(200);
    }

    @Test
    void meTellsWhoTheCallerIs() {
        Member bob = member("viewer");
        bob.call().get("/api/me").then().statusCode(200)
                .body("user", equalTo(bob.user())).body("kind", equalTo("user"))
                .body("platformAdmin", equalTo(false))
                .body("teams", contains(Map.of("team", bob.team(), "role", "viewer")));
        asAdmin().get("/api/me").then().statusCode(200)
                .body("user", equalTo("admin")).body("kind", equalTo("platform-admin"))
                .body("platformAdmin", equalTo(true));
    }

    @Test
    void teamAdminsManageMembersAndRolesWhileMembersAndViewersOnlyList() {
        Member admin = member("admin");
        String team = admin.team();
        String dev = unique("dev");
        String viewer = unique("viewer");

        admin.call().contentType(ContentType.JSON).body(Map.of("user", dev, "role", "developer"))
                .post("/api/teams/" + team + "/members").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/teams/" + team + "/members/" + dev))
                .body("user", equalTo(dev)).body("role", equalTo("developer"));
        admin.call().contentType(ContentType.JSON).body(Map.of("user", viewer, "role", "viewer"))
                .post("/api/teams/" + team + "/members").then().statusCode(201);
        admin.call().contentType(ContentType.JSON).body(Map.of("user", dev, "role", "viewer"))
                .post("/api/teams/" + team + "/members").then().statusCode(409);

        String devToken = IdentityApi.newToken(dev).getString("token");
        String viewerToken = IdentityApi.newToken(viewer).getString("token");

        for (String token : new String[] {devToken, viewerToken}) {
            IdentityApi.as(token).get("/api/teams/" + team + "/members").then().statusCode(200)
                    .body("user", hasItems(admin.user(), dev, viewer));
            IdentityApi.as(token).get("/api/teams/" + team + "/members/" + dev).then().statusCode(200)
                    .body("role", equalTo("developer"));
            IdentityApi.as(token).contentType(ContentType.JSON).body(Map.of("user", unique("x"), "role", "viewer"))
                    .post("/api/teams/" + team + "/members").then().statusCode(403).contentType("application/problem+json");
            IdentityApi.as(token).contentType(ContentType.JSON).body(Map.of("role", "admin"))
                    .put("/api/teams/" + team + "/members/" + viewer).then().statusCode(403);
            IdentityApi.as(token).delete("/api/teams/" + team + "/members/" + viewer).then().statusCode(403);
        }

        admin.call().contentType(ContentType.JSON).body(Map.of("role", "admin"))
                .put("/api/teams/" + team + "/members/" + dev).then().statusCode(200).body("role", equalTo("admin"));
        // the developer is an admin now, at once
        IdentityApi.as(devToken).delete("/api/teams/" + team + "/members/" + viewer).then().statusCode(204);
        IdentityApi.as(viewerToken).get("/api/teams/" + team).then().statusCode(404);
        IdentityApi.as(viewerToken).get("/api/me").then().statusCode(200).body("teams.size()", equalTo(0));
        admin.call().get("/api/teams/" + team + "/members/" + viewer).then().statusCode(404);
        admin.call().delete("/api/teams/" + team + "/members/" + viewer).then().statusCode(404);

        // the platform admin manages any team's members
        asAdmin().contentType(ContentType.JSON).body(Map.of("role", "developer"))
                .put("/api/teams/" + team + "/members/" + dev).then().statusCode(200).body("role", equalTo("developer"));
    }

    @Test
    void aTeamAdminOfOneTeamIsNobodyInAnother() {
        Member admin = member("admin");
        String other = newTeam();
        addMember(other, unique("someone"), "developer");
        admin.call().contentType(ContentType.JSON).body(Map.of("user", unique("x"), "role", "viewer"))
                .post("/api/teams/" + other + "/members").then().statusCode(404);
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndChangesNothing() {
        String team = newTeam();
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "Not_DNS")).post("/api/teams")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("name"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x".repeat(41))).post("/api/teams")
                .then().statusCode(400).body("errors[0].field", equalTo("name"));
        asAdmin().contentType(ContentType.JSON).body("{}").post("/api/teams")
                .then().statusCode(400).body("errors[0].field", equalTo("name"));
        asAdmin().contentType(ContentType.JSON).body("{\"name\":").post("/api/teams")
                .then().statusCode(400).contentType("application/problem+json");
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "fine", "colour", "red")).post("/api/teams")
                .then().statusCode(400).body("errors[0].field", equalTo("colour"));

        asAdmin().contentType(ContentType.JSON).body(Map.of("user", "bob", "role", "owner"))
                .post("/api/teams/" + team + "/members").then().statusCode(400).body("errors[0].field", equalTo("role"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("user", "Bob Smith", "role", "viewer"))
                .post("/api/teams/" + team + "/members").then().statusCode(400).body("errors[0].field", equalTo("user"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("user", "admin", "role", "viewer"))
                .post("/api/teams/" + team + "/members").then().statusCode(400).body("errors[0].field", equalTo("user"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("role", 7))
                .put("/api/teams/" + team + "/members/bob").then().statusCode(400);
        asAdmin().get("/api/teams/" + team + "/members").then().statusCode(200).body("size()", equalTo(0));

        asAdmin().get("/api/teams/..%2F..%2Fetc").then().statusCode(org.hamcrest.Matchers.oneOf(400, 404));
        asAdmin().get("/api/teams/UPPER").then().statusCode(400).body("errors[0].field", equalTo("team"));
        asAdmin().get("/api/teams").then().body("name", not(hasItem("fine")));
    }

    @Test
    void everyEndpointButHealthRefusesACallWithoutTheToken() {
        io.berth.common.testing.EveryEndpoint.requiresAToken();
    }
}

package io.berth.identity;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.berth.identity.IdentityApi.addMember;
import static io.berth.identity.IdentityApi.member;
import static io.berth.identity.IdentityApi.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import io.berth.common.testing.KafkaEvents;
import io.berth.events.CloudEvent;
import io.berth.events.Topics;
import io.berth.events.audit.AuditRecorded;
import io.berth.identity.IdentityApi.Member;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuditTest {

    private static CloudEvent recorded(String app, String team, String actor, String action, int status, Instant at) {
        AuditRecorded data = new AuditRecorded(app, team, actor, "member", UUID.randomUUID().toString(), action,
                "/api/apps/" + app, "127.0.0.1", status, status < 400 ? AuditRecorded.OK : AuditRecorded.FAILED, at);
        return new CloudEvent(CloudEvent.SPEC_VERSION, UUID.randomUUID().toString(), URI.create("/berth/deploy"),
                "io.berth.AuditRecorded", at, app, URI.create("urn:io.berth:schema:AuditRecorded:v1"),
                CloudEvent.CONTENT_TYPE, data);
    }

    private static JsonPath await(Supplier<RequestSpecification> who, String query, Predicate<JsonPath> done)
            throws InterruptedException {
        // the service's consumer joins its group and reads the topic from its start first; on a
        // busy two-core CI machine that has taken more than 30 s
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            var response = who.get().get("/api/audit?" + query);
            if (response.statusCode() == 200) {
                last = response.jsonPath();
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("/api/audit?" + query + " never matched; last: " + (last == null ? "-" : last.prettify()));
    }

    @Test
    void entriesAreStoredOnceAndQueriedByTeamUserAppAndTime() throws Exception {
        String team = unique("team");
        String other = unique("team");
        String app = unique("app");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        CloudEvent first = recorded(app, team, "alice", "POST /api/apps", 201, t0);
        KafkaEvents.publish(Topics.AUDIT, first);
        KafkaEvents.publish(Topics.AUDIT, first); // delivered twice, stored once
        KafkaEvents.publish(Topics.AUDIT, recorded(app, team, "bob", "POST /api/apps/{app}/scale", 200, t0.plusSeconds(10)));
        KafkaEvents.publish(Topics.AUDIT, recorded(app, team, "alice", "DELETE /api/apps/{app}", 500, t0.plusSeconds(20)));
        KafkaEvents.publish(Topics.AUDIT, recorded(unique("app"), other, "alice", "POST /api/apps", 201, t0.plusSeconds(30)));

        await(TestAuth::admin, "team=" + team, j -> j.getList("$").size() == 3);
        asAdmin().get("/api/audit?team=" + team).then().statusCode(200)
                .body("action", contains("DELETE /api/apps/{app}", "POST /api/apps/{app}/scale", "POST /api/apps"))
                .body("[0].outcome", equalTo("failed")).body("[0].status", equalTo(500))
                .body("[2].id", equalTo(first.id())).body("[2].service", equalTo("/berth/deploy"))
                .body("[2].app", equalTo(app)).body("[2].remoteAddress", equalTo("127.0.0.1"));
        asAdmin().get("/api/audit?team=" + team + "&user=alice").then().body("size()", equalTo(2))
                .body("actor", everyItem(equalTo("alice")));
        asAdmin().get("/api/audit?app=" + app).then().body("size()", equalTo(3));
        asAdmin().get("/api/audit?team=" + team + "&from=" + t0.plusSeconds(5) + "&to=" + t0.plusSeconds(20))
                .then().body("action", contains("POST /api/apps/{app}/scale"));
        asAdmin().get("/api/audit?team=" + team + "&limit=1").then().body("size()", equalTo(1))
                .body("[0].action", equalTo("DELETE /api/apps/{app}"));
        await(TestAuth::admin, "user=alice&from=" + t0.minusSeconds(1) + "&to=" + t0.plusSeconds(31),
                j -> j.getList("$").size() >= 3);
    }

    @Test
    void aTeamAdminReadsItsTeamsOnlyAndOthersAreRefused() throws Exception {
        Member admin = member("admin");
        Member developer = member("developer");
        String viewerName = unique("viewer");
        addMember(admin.team(), viewerName, "viewer");
        String viewerToken = IdentityApi.newToken(viewerName).getString("token");
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        KafkaEvents.publish(Topics.AUDIT, recorded(unique("app"), admin.team(), "x", "POST /api/apps", 201, at));
        KafkaEvents.publish(Topics.AUDIT, recorded(unique("app"), developer.team(), "y", "POST /api/apps", 201, at));

        await(admin::call, "team=" + admin.team(), j -> j.getList("actor").contains("x"));
        // without a team: its own teams only
        await(admin::call, "from=" + at.minusSeconds(1), j -> j.getList("team").contains(admin.team()));
        admin.call().get("/api/audit?from=" + at.minusSeconds(1)).then().statusCode(200)
                .body("team", everyItem(equalTo(admin.team())));
        admin.call().get("/api/audit?team=" + developer.team()).then().statusCode(403)
                .contentType("application/problem+json");
        developer.call().get("/api/audit").then().statusCode(403);
        developer.call().get("/api/audit?team=" + developer.team()).then().statusCode(403);
        IdentityApi.as(viewerToken).get("/api/audit?team=" + admin.team()).then().statusCode(403);
        await(TestAuth::admin, "team=" + developer.team(), j -> j.getList("actor").contains("y"));
    }

    @Test
    void theIdentityServicesOwnChangesAreAuditedWithTheirActor() throws Exception {
        Member admin = member("admin");
        String dev = unique("dev");
        admin.call().contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("user", dev, "role", "developer"))
                .post("/api/teams/" + admin.team() + "/members").then().statusCode(201);
        String devToken = IdentityApi.newToken(dev).getString("token");
        IdentityApi.as(devToken).contentType(io.restassured.http.ContentType.JSON)
                .body(java.util.Map.of("role", "admin"))
                .put("/api/teams/" + admin.team() + "/members/" + dev).then().statusCode(403);

        JsonPath added = await(admin::call, "team=" + admin.team() + "&user=" + admin.user(),
                j -> j.getList("action").contains("POST /api/teams/{team}/members"));
        org.junit.jupiter.api.Assertions.assertEquals("/berth/identity", added.getString("[0].service"));
        org.junit.jupiter.api.Assertions.assertEquals("member", added.getString("[0].actorKind"));
        org.junit.jupiter.api.Assertions.assertEquals(admin.tokenId(), added.getString("[0].tokenId"));
        org.junit.jupiter.api.Assertions.assertEquals(201, added.getInt("[0].status"));
        org.junit.jupiter.api.Assertions.assertEquals("/api/teams/" + admin.team() + "/members", added.getString("[0].path"));
        JsonPath refused = await(admin::call, "team=" + admin.team() + "&user=" + dev,
                j -> j.getList("action").contains("PUT /api/teams/{team}/members/{user}"));
        org.junit.jupiter.api.Assertions.assertEquals("denied", refused.getString("[0].outcome"));
        org.junit.jupiter.api.Assertions.assertEquals(403, refused.getInt("[0].status"));
    }

    @Test
    void aRecordOfAHostileCallIsStoredToo() throws Exception {
        String team = unique("team");
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AuditRecorded data = new AuditRecorded(AuditRecorded.NO_APP, team, "mallory", "member", null,
                "DELETE /api/teams/{team}", "/api/teams/a\u0000b/" + "x".repeat(3000), "127.0.0.1", 400,
                AuditRecorded.FAILED, at);
        KafkaEvents.publish(Topics.AUDIT, CloudEvent.of("/berth/identity", data));
        JsonPath stored = await(TestAuth::admin, "team=" + team, j -> j.getList("$").size() == 1);
        org.junit.jupiter.api.Assertions.assertTrue(stored.getString("[0].path").startsWith("/api/teams/a\uFFFDb/"));
        org.junit.jupiter.api.Assertions.assertNull(stored.getString("[0].app"));
    }

    @Test
    void badQueriesAreProblemsNamingTheParameter() {
        asAdmin().get("/api/audit?from=yesterday").then().statusCode(400).body("errors[0].field", equalTo("from"));
        asAdmin().get("/api/audit?to=2026-13-01T00:00:00Z").then().statusCode(400).body("errors[0].field", equalTo("to"));
        asAdmin().get("/api/audit?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z").then().statusCode(400)
                .body("errors[0].field", equalTo("to"));
        asAdmin().get("/api/audit?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        asAdmin().get("/api/audit?limit=5000").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        asAdmin().get("/api/audit?limit=many").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        asAdmin().get("/api/audit?team=Bad_Team").then().statusCode(400).body("errors[0].field", equalTo("team"));
        asAdmin().get("/api/audit?app=..%2Fetc").then().statusCode(400).body("errors[0].field", equalTo("app"));
    }

    /** The request specs the helpers above take. */
    static final class TestAuth {
        static RequestSpecification admin() {
            return asAdmin();
        }
    }
}

package io.berth.common.access;

import static io.berth.common.testing.Directory.as;
import static io.berth.common.testing.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.Directory;
import io.berth.common.testing.EveryEndpoint;
import io.berth.common.testing.KafkaEvents;
import io.berth.events.Topics;
import io.berth.events.audit.AuditRecorded;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shared enforcement against the real broker: member tokens and app owners are published on
 * the compacted topics as the identity and deploy services would, and the sample endpoints of this
 * module's test application are called with them.
 */
@QuarkusTest
class TeamAccessTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String TEAM_A = "ta-" + RUN;
    static final String TEAM_B = "tb-" + RUN;
    static final String APP_A = "app-a-" + RUN;
    static final String APP_B = "app-b-" + RUN;
    static final List<String> TOKENS = new ArrayList<>();

    static String devA;
    static String viewerA;
    static String devB;

    static String token(String user, Map<String, String> teams) {
        String token = Directory.memberToken(user, teams);
        TOKENS.add(token);
        return token;
    }

    /** Once, before the first test: a @BeforeAll method runs before the HTTP client knows the test port. */
    @BeforeEach
    void teamsAndApps() throws InterruptedException {
        if (devA != null) {
            return;
        }
        devA = token("dev-a-" + RUN, Map.of(TEAM_A, "developer"));
        viewerA = token("viewer-a-" + RUN, Map.of(TEAM_A, "viewer"));
        devB = token("dev-b-" + RUN, Map.of(TEAM_B, "developer"));
        Directory.own(APP_A, TEAM_A);
        Directory.own(APP_B, TEAM_B);
        for (String token : List.of(devA, viewerA, devB)) {
            Directory.awaitAccepted(token, WAIT);
        }
        Directory.awaitStatus(devA, "/api/apps/" + APP_A, 200, WAIT);
        Directory.awaitStatus(devB, "/api/apps/" + APP_B, 200, WAIT);
    }

    @AfterAll
    static void cleanUp() {
        TOKENS.forEach(Directory::revoke);
        Directory.disown(APP_A);
        Directory.disown(APP_B);
    }

    @Test
    void readinessWaitsForTheDirectories() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name.startsWith('Berth directories') }.status", equalTo("UP"));
    }

    @Test
    void unauthenticatedCallsAre401EverywhereButHealth() {
        EveryEndpoint.requiresAToken();
    }

    @Test
    void anotherTeamsAppIsNotFoundOnEveryOperation() {
        for (String token : List.of(devB)) {
            as(token).get("/api/apps/" + APP_A).then().statusCode(404).contentType("application/problem+json")
                    .body("detail", equalTo("app '" + APP_A + "' does not exist"));
            as(token).post("/api/apps/" + APP_A + "/actions").then().statusCode(404);
            as(token).delete("/api/apps/" + APP_A).then().statusCode(404);
            as(token).get("/api/search?app=" + APP_A).then().statusCode(404);
            // the same answer as for an app that does not exist at all
            as(token).get("/api/apps/nothing-" + RUN).then().statusCode(404)
                    .body("detail", equalTo("app 'nothing-" + RUN + "' does not exist"));
        }
        as(devB).get("/api/search?app=" + APP_B).then().statusCode(200);
        as(devB).get("/api/other?name=" + APP_A).then().statusCode(200);
    }

    @Test
    void listingsShowOnlyTheCallersTeams() {
        as(devA).get("/api/apps").then().statusCode(200).body("$", hasItem(APP_A)).body("$", not(hasItem(APP_B)));
        as(devB).get("/api/apps").then().statusCode(200).body("$", hasItem(APP_B)).body("$", not(hasItem(APP_A)));
        asAdmin().get("/api/apps").then().statusCode(200).body("$", hasItem(APP_A)).body("$", hasItem(APP_B));
    }

    @Test
    void appsFromElsewhereAreFilteredOneByOne() {
        String query = "/api/running?apps=" + APP_A + "&apps=" + APP_B + "&apps=nobody-" + RUN;
        as(devA).get(query).then().statusCode(200).body("$", equalTo(List.of(APP_A)));
        as(devB).get(query).then().statusCode(200).body("$", equalTo(List.of(APP_B)));
        asAdmin().get(query).then().statusCode(200).body("$", equalTo(List.of(APP_A, APP_B, "nobody-" + RUN)));
    }

    @Test
    void platformOnlyEndpointsAndMetricsRefuseMembers() {
        for (String member : List.of(devA, viewerA)) {
            as(member).get("/api/node").then().statusCode(403).contentType("application/problem+json");
            as(member).get("/q/metrics").then().statusCode(403);
        }
        asAdmin().get("/api/node").then().statusCode(200);
        asAdmin().get("/q/metrics").then().statusCode(200);
        as("berth-test-service-token").get("/api/node").then().statusCode(200);
        as("berth-test-service-token").get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aViewerReadsButCannotChange() {
        as(viewerA).get("/api/apps/" + APP_A).then().statusCode(200);
        as(viewerA).post("/api/apps/" + APP_A + "/actions").then().statusCode(403)
                .contentType("application/problem+json").body("status", equalTo(403));
        as(viewerA).delete("/api/apps/" + APP_A).then().statusCode(403);
        as(devA).post("/api/apps/" + APP_A + "/actions").then().statusCode(200);
    }

    @Test
    void aNewAppGoesToATeamWhereTheCallerMayChangeApps() {
        as(devA).contentType(ContentType.JSON).body(Map.of("name", "n1-" + RUN)).post("/api/apps")
                .then().statusCode(201).body("team", equalTo(TEAM_A));
        as(devA).contentType(ContentType.JSON).body(Map.of("name", "n2-" + RUN, "team", TEAM_B)).post("/api/apps")
                .then().statusCode(403).contentType("application/problem+json");
        as(viewerA).contentType(ContentType.JSON).body(Map.of("name", "n3-" + RUN)).post("/api/apps")
                .then().statusCode(403);
        String twoTeams = token("two-" + RUN, Map.of(TEAM_A, "developer", TEAM_B, "admin"));
        try {
            Directory.awaitAccepted(twoTeams, WAIT);
            as(twoTeams).contentType(ContentType.JSON).body(Map.of("name", "n4-" + RUN)).post("/api/apps")
                    .then().statusCode(400).body("errors[0].field", equalTo("team"));
            as(twoTeams).contentType(ContentType.JSON).body(Map.of("name", "n4-" + RUN, "team", TEAM_B)).post("/api/apps")
                    .then().statusCode(201).body("team", equalTo(TEAM_B));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "n5-" + RUN)).post("/api/apps")
                .then().statusCode(201).body("team", equalTo("default"));
    }

    @Test
    void aRevokedTokenIsRefusedWithinOneSecond() throws InterruptedException {
        String token = token("revoked-" + RUN, Map.of(TEAM_A, "developer"));
        Directory.awaitAccepted(token, WAIT);
        as(token).get("/api/apps/" + APP_A).then().statusCode(200);
        Directory.revoke(token);
        Duration refusedAfter = Directory.awaitStatus(token, "/api/apps/" + APP_A, 401, Duration.ofSeconds(5));
        assertTrue(refusedAfter.compareTo(Duration.ofSeconds(1)) < 0, "refused after " + refusedAfter);
        as(token).get("/api/apps/" + APP_A).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
    }

    @Test
    void anExpiredTokenIsRefusedAtTheTimeOfUse() throws InterruptedException {
        // long enough for the directory to carry the token to the service on a busy machine
        Instant expiry = Instant.now().plusSeconds(10);
        String token = Directory.memberToken("expiring-" + RUN, Map.of(TEAM_A, "developer"), expiry);
        TOKENS.add(token);
        Directory.awaitAccepted(token, WAIT);
        as(token).get("/api/apps/" + APP_A).then().statusCode(200);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 100);
        as(token).get("/api/apps/" + APP_A).then().statusCode(401).contentType("application/problem+json");

        String alreadyExpired = Directory.memberToken("expired-" + RUN, Map.of(TEAM_A, "developer"),
                Instant.now().minusSeconds(60));
        TOKENS.add(alreadyExpired);
        as(alreadyExpired).get("/api/apps/" + APP_A).then().statusCode(401);
    }

    @Test
    void aTokenOverItsRateGets429WithRetryAfter() {
        String token = token("busy-" + RUN, Map.of(TEAM_A, "viewer"));
        try {
            Directory.awaitAccepted(token, WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Response limited = null;
        for (int i = 0; i < 100 && limited == null; i++) {
            Response response = as(token).get("/api/apps/" + APP_A);
            if (response.statusCode() == 429) {
                limited = response;
            } else {
                assertEquals(200, response.statusCode());
            }
        }
        assertTrue(limited != null, "no 429 in 100 quick calls with a burst of 30");
        limited.then().contentType("application/problem+json").body("status", equalTo(429));
        assertTrue(Integer.parseInt(limited.header("Retry-After")) >= 1, limited.header("Retry-After"));
        // another token has a bucket of its own, and the admin token none
        as(devA).get("/api/apps/" + APP_A).then().statusCode(200);
        for (int i = 0; i < 60; i++) {
            asAdmin().get("/api/apps/" + APP_A).then().statusCode(200);
        }
    }

    @Test
    void aChangeIsAuditedWithItsActor() {
        as(devA).post("/api/apps/" + APP_A + "/actions").then().statusCode(200);
        as(devB).post("/api/apps/" + APP_A + "/actions").then().statusCode(404);

        var done = KafkaEvents.await(Topics.AUDIT, e -> e.data() instanceof AuditRecorded r
                        && r.path().equals("/api/apps/" + APP_A + "/actions") && r.actor().equals("dev-a-" + RUN),
                Duration.ofSeconds(20)).orElseThrow(() -> new AssertionError("no audit record of dev-a's action"));
        AuditRecorded record = done.value().dataAs(AuditRecorded.class);
        assertEquals(APP_A, done.key());
        assertEquals(APP_A, record.app());
        assertEquals(TEAM_A, record.team());
        assertEquals("member", record.actorKind());
        assertEquals("POST /api/apps/{app}/actions", record.action());
        assertEquals(200, record.status());
        assertEquals(AuditRecorded.OK, record.outcome());
        assertTrue(record.tokenId().startsWith("tok-"), record.tokenId());
        assertTrue(record.remoteAddress() != null && !record.remoteAddress().isBlank());
        assertEquals("/berth/common-test", done.value().source().toString());

        AuditRecorded refused = KafkaEvents.await(Topics.AUDIT, e -> e.data() instanceof AuditRecorded r
                        && r.path().equals("/api/apps/" + APP_A + "/actions") && r.actor().equals("dev-b-" + RUN),
                Duration.ofSeconds(20)).orElseThrow(() -> new AssertionError("no audit record of dev-b's attempt"))
                .value().dataAs(AuditRecorded.class);
        assertEquals(404, refused.status());
        assertEquals(AuditRecorded.DENIED, refused.outcome());
    }

    @Test
    void readsAreNotAudited() {
        String path = "/api/apps/" + APP_A;
        as(devA).get(path).then().statusCode(200);
        assertTrue(KafkaEvents.await(Topics.AUDIT, e -> e.data() instanceof AuditRecorded r && r.path().equals(path)
                && r.action().startsWith("GET"), Duration.ofSeconds(2)).isEmpty());
    }
}

package io.berth.deploy;

import static io.berth.common.testing.Directory.as;
import static io.berth.common.testing.TestAuth.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.Directory;
import io.berth.common.testing.KafkaEvents;
import io.berth.events.Topics;
import io.berth.events.audit.AuditRecorded;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Team A's developer and viewer and team B's developer, with tokens published on berth.identity as
 * the identity service would, against the deploy API: each team sees only its own apps, on every
 * {@code /api/apps/{app}/**} operation the API documents.
 */
@QuarkusTest
class TenancyTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String TEAM_A = "ta-" + RUN;
    static final String TEAM_B = "tb-" + RUN;
    static final Set<String> CHANGES = Set.of("post", "put", "patch", "delete");
    static final List<String> TOKENS = new ArrayList<>();

    static String devA;
    static String viewerA;
    static String devB;
    static String appA;
    static String appB;

    static String token(String user, Map<String, String> teams) {
        String token = Directory.memberToken(user, teams);
        TOKENS.add(token);
        return token;
    }

    /** Once, before the first test (a @BeforeAll method runs before the HTTP client knows the test port). */
    @BeforeEach
    void teamsAndApps() throws InterruptedException {
        if (devA != null) {
            return;
        }
        devA = token("dev-a-" + RUN, Map.of(TEAM_A, "developer"));
        viewerA = token("viewer-a-" + RUN, Map.of(TEAM_A, "viewer"));
        devB = token("dev-b-" + RUN, Map.of(TEAM_B, "developer"));
        for (String token : List.of(devA, viewerA, devB)) {
            Directory.awaitAccepted(token, WAIT);
        }
        appA = "ten-a-" + RUN;
        appB = "ten-b-" + RUN;
        // a member of one team may leave the team out
        as(devA).contentType(ContentType.JSON).body(Map.of("name", appA)).post("/api/apps")
                .then().statusCode(201).body("team", equalTo(TEAM_A));
        as(devB).contentType(ContentType.JSON).body(Map.of("name", appB, "team", TEAM_B)).post("/api/apps")
                .then().statusCode(201).body("team", equalTo(TEAM_B));
    }

    @AfterAll
    static void revokeTokens() {
        TOKENS.forEach(Directory::revoke);
    }

    @Test
    void eachTeamListsOnlyItsOwnApps() {
        as(devA).get("/api/apps").then().statusCode(200).body("name", hasItem(appA)).body("name", not(hasItem(appB)));
        as(viewerA).get("/api/apps").then().statusCode(200).body("name", hasItem(appA)).body("name", not(hasItem(appB)));
        as(devB).get("/api/apps").then().statusCode(200).body("name", hasItem(appB)).body("name", not(hasItem(appA)));
        asAdmin().get("/api/apps?size=500").then().statusCode(200).body("name", hasItem(appA)).body("name", hasItem(appB));
    }

    @Test
    void anotherTeamsAppIsNotFoundOnEveryOperation() {
        List<String> checked = new ArrayList<>();
        forEachAppOperation(appA, (method, path) -> {
            Response response = as(devB).contentType(ContentType.JSON).body("{}").request(method, path);
            assertEquals(404, response.statusCode(), method + " " + path + " by team B: " + response.asString());
            assertEquals("app '" + appA + "' does not exist", response.jsonPath().getString("detail"), method + " " + path);
            checked.add(method + " " + path);
        });
        assertTrue(checked.size() >= 14, "operations checked: " + checked);
        // and the app is untouched
        asAdmin().get("/api/apps/" + appA).then().statusCode(200).body("replicas", equalTo(0));
    }

    @Test
    void aViewerReadsButChangesNothing() {
        forEachAppOperation(appA, (method, path) -> {
            if (path.endsWith("/events")) {
                return; // a live stream; its access is the same as the other reads'
            }
            int status = as(viewerA).contentType(ContentType.JSON).body("{}").request(method, path).statusCode();
            if (CHANGES.contains(method)) {
                assertEquals(403, status, method + " " + path + " by a viewer");
            } else {
                assertNotEquals(403, status, method + " " + path);
            }
        });
        as(viewerA).get("/api/apps/" + appA).then().statusCode(200).body("team", equalTo(TEAM_A));
        as(viewerA).contentType(ContentType.JSON).body(Map.of("name", "ten-v-" + RUN)).post("/api/apps")
                .then().statusCode(403).contentType("application/problem+json");
        as(devA).contentType(ContentType.JSON).body(Map.of("name", "ten-x-" + RUN, "team", TEAM_B)).post("/api/apps")
                .then().statusCode(403);
        asAdmin().get("/api/apps/ten-v-" + RUN).then().statusCode(404);
        asAdmin().get("/api/apps/ten-x-" + RUN).then().statusCode(404);
    }

    @Test
    void aDevelopersChangeIsAuditedWithTheirName() {
        as(devA).contentType(ContentType.JSON).body(Map.of("replicas", 0)).post("/api/apps/" + appA + "/scale")
                .then().statusCode(200);
        AuditRecorded record = KafkaEvents.await(Topics.AUDIT, e -> e.data() instanceof AuditRecorded r
                                && r.path().equals("/api/apps/" + appA + "/scale") && r.actor().equals("dev-a-" + RUN),
                        Duration.ofSeconds(20))
                .orElseThrow(() -> new AssertionError("no audit record of the scale")).value().dataAs(AuditRecorded.class);
        assertEquals(appA, record.app());
        assertEquals(TEAM_A, record.team());
        assertEquals("member", record.actorKind());
        assertEquals("POST /api/apps/{app}/scale", record.action());
        assertEquals(200, record.status());
        assertEquals(AuditRecorded.OK, record.outcome());

        AuditRecorded created = KafkaEvents.await(Topics.AUDIT, e -> e.data() instanceof AuditRecorded r
                                && r.action().equals("POST /api/apps") && appB.equals(r.app()), Duration.ofSeconds(20))
                .orElseThrow(() -> new AssertionError("no audit record of the creation")).value().dataAs(AuditRecorded.class);
        assertEquals("dev-b-" + RUN, created.actor());
        assertEquals(TEAM_B, created.team());
        assertEquals(201, created.status());
    }

    @Test
    void theOwnerIsPublishedOnCreationAndTombstonedOnDeletion() throws InterruptedException {
        String app = "ten-d-" + RUN;
        as(devA).contentType(ContentType.JSON).body(Map.of("name", app)).post("/api/apps").then().statusCode(201);
        assertTrue(Directory.awaitRecord(Topics.APP_OWNERS, app,
                v -> v != null && JsonPath.from(v).getString("team").equals(TEAM_A), WAIT), "owner of " + app);
        as(devB).delete("/api/apps/" + app).then().statusCode(404);
        as(devA).delete("/api/apps/" + app).then().statusCode(202);
        assertTrue(Directory.awaitRecord(Topics.APP_OWNERS, app, v -> v == null, WAIT), "tombstone of " + app);
        as(devA).get("/api/apps/" + app).then().statusCode(404);
    }

    @Test
    void aLostOwnerRecordIsPublishedAgain() throws InterruptedException {
        // as if the record had been lost: the publisher's reconcile puts it back. The app is
        // another team's (404) only from the tombstone until the republished record: too short a
        // while to be sure of seeing, so what is checked is the record coming back and the team
        // reading its app again.
        Instant lost = Instant.now();
        Directory.disown(appB);
        assertTrue(Directory.awaitRecord(Topics.APP_OWNERS, appB,
                v -> v != null && JsonPath.from(v).getString("team").equals(TEAM_B), lost, Duration.ofSeconds(20)),
                "owner of " + appB + " published again");
        Directory.awaitStatus(devB, "/api/apps/" + appB, 200, WAIT);
    }

    @Test
    void revokedAndExpiredTokensAreRefused() throws InterruptedException {
        String revoked = token("rev-" + RUN, Map.of(TEAM_A, "developer"));
        Directory.awaitAccepted(revoked, WAIT);
        as(revoked).get("/api/apps/" + appA).then().statusCode(200);
        Directory.revoke(revoked);
        Duration after = Directory.awaitStatus(revoked, "/api/apps/" + appA, 401, Duration.ofSeconds(5));
        assertTrue(after.compareTo(Duration.ofSeconds(1)) < 0, "refused after " + after);

        // long enough for the directory to carry the token to the service on a busy machine
        Instant expiry = Instant.now().plusSeconds(10);
        String expiring = Directory.memberToken("exp-" + RUN, Map.of(TEAM_A, "developer"), expiry);
        TOKENS.add(expiring);
        Directory.awaitAccepted(expiring, WAIT);
        as(expiring).get("/api/apps").then().statusCode(200);
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiry).toMillis()) + 100);
        as(expiring).get("/api/apps").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aBusyTokenGets429WithRetryAfter() throws InterruptedException {
        String busy = token("busy-" + RUN, Map.of(TEAM_A, "viewer"));
        Directory.awaitAccepted(busy, WAIT);
        Response limited = null;
        for (int i = 0; i < 400 && limited == null; i++) {
            Response response = as(busy).get("/api/apps/nothing-" + RUN);
            if (response.statusCode() == 429) {
                limited = response;
            }
        }
        assertTrue(limited != null, "no 429 in 400 quick calls");
        limited.then().contentType("application/problem+json").body("status", equalTo(429));
        assertTrue(Integer.parseInt(limited.header("Retry-After")) >= 1);
    }

    interface Operation {
        void call(String method, String path);
    }

    /** Every operation the API documents under /api/apps/{app}, with {@code app} filled in. */
    static void forEachAppOperation(String app, Operation operation) {
        JsonPath openapi = asAdmin().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = openapi.getMap("paths");
        paths.forEach((template, operations) -> {
            if (!template.startsWith("/api/apps/{app}")) {
                return;
            }
            String path = template.replace("{app}", app).replaceAll("\\{[^}]+}", "1");
            operations.keySet().stream().filter(m -> Set.of("get", "post", "put", "patch", "delete").contains(m))
                    .forEach(method -> operation.call(method, path));
        });
    }
}

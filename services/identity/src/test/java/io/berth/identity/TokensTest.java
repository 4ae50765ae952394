package io.berth.identity;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.berth.identity.IdentityApi.addMember;
import static io.berth.identity.IdentityApi.member;
import static io.berth.identity.IdentityApi.newTeam;
import static io.berth.identity.IdentityApi.newToken;
import static io.berth.identity.IdentityApi.unique;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.auth.TokenHash;
import io.berth.identity.DirectoryTopic.Entry;
import io.berth.identity.IdentityApi.Member;
import io.berth.identity.directory.DirectorySync;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TokensTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    DirectorySync directory;

    @Inject
    io.berth.common.directory.TokenDirectory tokens;

    @Test
    void aNewTokenIsShownOnceAndOnlyItsHashIsStored() throws Exception {
        String team = newTeam();
        String user = unique("user");
        addMember(team, user, "developer");

        JsonPath created = newToken(user, Map.of("name", "laptop"));
        String token = created.getString("token");
        String id = created.getString("id");
        org.hamcrest.MatcherAssert.assertThat(token, matchesPattern("berth_[A-Za-z0-9_-]{43}"));
        assertEquals("laptop", created.getString("name"));

        var row = IdentityDatabase.tokenRow(id).orElseThrow();
        assertEquals(TokenHash.sha256Hex(token), row.get("sha256"));
        assertFalse(row.values().stream().anyMatch(v -> v != null && v.contains(token.substring(6))),
                "no column holds the token");

        String listed = asAdmin().get("/api/users/" + user + "/tokens").then().statusCode(200)
                .body("id", hasItem(id)).body("state", everyItem(equalTo("active")))
                .extract().asString();
        assertFalse(listed.contains(token.substring(6)), "a listing never shows the token");
        assertFalse(listed.contains(row.get("sha256")), "a listing never shows the hash");
        asAdmin().get("/api/tokens/" + id).then().statusCode(200).body("token", nullValue()).body("sha256", nullValue());

        IdentityApi.as(token).get("/api/me").then().statusCode(200).body("user", equalTo(user));

        Entry entry = DirectoryTopic.await(TokenHash.sha256Hex(token), e -> !e.tombstone(), WAIT)
                .orElseThrow(() -> new AssertionError("no directory entry for the new token"));
        var json = entry.value().orElseThrow();
        assertEquals(id, json.get("tokenId").asText());
        assertEquals(user, json.get("user").asText());
        assertFalse(json.get("platformAdmin").asBoolean());
        assertEquals("developer", json.get("teams").get(team).asText());
        assertTrue(json.get("expiresAt").isNull());
    }

    @Test
    void aRevokedTokenIsRefusedAndTombstonedBeforeTheAnswer() throws Exception {
        Member alice = member("developer");
        String key = TokenHash.sha256Hex(alice.token());
        alice.call().get("/api/me").then().statusCode(200);
        // the in-memory directory every service keeps (common's), here in the identity service's own JVM
        awaitDirectory(key, true, WAIT);

        alice.call().delete("/api/tokens/" + alice.tokenId()).then().statusCode(204);
        long answered = System.nanoTime();
        var after = alice.call().get("/api/me");
        if (after.statusCode() != 401) {
            throw new AssertionError("a revoked token was answered " + after.statusCode() + " " + after.asString()
                    + "; its row says revoked_at=" + IdentityDatabase.tokenRow(alice.tokenId()).map(r -> r.get("revoked_at")));
        }
        long gone = awaitDirectory(key, false, WAIT);
        long millis = Duration.ofNanos(gone - answered).toMillis();
        assertTrue(millis < 1000, "a service's directory dropped the revoked token " + millis + " ms after the answer");

        // the tombstone is on the topic for any reader
        assertTrue(DirectoryTopic.await(key, Entry::tombstone, Duration.ofSeconds(5)).isPresent(), "tombstone");
        asAdmin().get("/api/tokens/" + alice.tokenId()).then().statusCode(200)
                .body("state", equalTo("revoked")).body("revokedBy", equalTo(alice.user()));
        // revoking again changes nothing
        asAdmin().delete("/api/tokens/" + alice.tokenId()).then().statusCode(204);
    }

    /** Waits until common's token directory has (or no longer has) the key; returns System.nanoTime() then. */
    private long awaitDirectory(String key, boolean present, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (tokens.lookup(key).isPresent() == present) {
                return System.nanoTime();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the token directory " + (present ? "never got" : "still has") + " the token");
    }

    @Test
    void whoMayCreateListAndRevokeAUsersTokens() {
        Member teamAdmin = member("admin");
        String dev = unique("dev");
        addMember(teamAdmin.team(), dev, "developer");
        Member stranger = member("admin");

        // a team admin of one of the user's teams
        String devToken = teamAdmin.call().contentType(ContentType.JSON).body(Map.of("name", "ci"))
                .post("/api/users/" + dev + "/tokens").then().statusCode(201)
                .body("token", notNullValue()).extract().path("token");
        teamAdmin.call().get("/api/users/" + dev + "/tokens").then().statusCode(200).body("size()", equalTo(1));
        // the user themselves
        String second = IdentityApi.as(devToken).contentType(ContentType.JSON).body(Map.of("name", "laptop"))
                .post("/api/users/" + dev + "/tokens").then().statusCode(201).extract().path("id");
        IdentityApi.as(devToken).get("/api/users/" + dev + "/tokens").then().statusCode(200).body("size()", equalTo(2));
        // a team mate who is no admin may not touch another's tokens; a stranger does not see the user at all
        IdentityApi.as(devToken).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/api/users/" + teamAdmin.user() + "/tokens").then().statusCode(403);
        IdentityApi.as(devToken).delete("/api/tokens/" + teamAdmin.tokenId()).then().statusCode(403);
        stranger.call().contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/api/users/" + dev + "/tokens").then().statusCode(404);
        stranger.call().get("/api/users/" + dev + "/tokens").then().statusCode(404);
        stranger.call().delete("/api/tokens/" + second).then().statusCode(404);
        stranger.call().get("/api/tokens/" + second).then().statusCode(404);

        teamAdmin.call().delete("/api/tokens/" + second).then().statusCode(204);
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/api/users/nobody-here/tokens")
                .then().statusCode(404);
    }

    @Test
    void anExpiredTokenIsRefusedAndTombstoned() throws Exception {
        String team = newTeam();
        String user = unique("user");
        addMember(team, user, "viewer");
        JsonPath created = newToken(user, Map.of("name", "short", "ttl", "2s"));
        String token = created.getString("token");
        Instant expiresAt = Instant.parse(created.getString("expiresAt"));
        assertTrue(expiresAt.isAfter(Instant.now().minusSeconds(1)) && expiresAt.isBefore(Instant.now().plusSeconds(3)));

        IdentityApi.as(token).get("/api/me").then().statusCode(200);
        var entry = DirectoryTopic.await(TokenHash.sha256Hex(token), e -> !e.tombstone(), WAIT).orElseThrow();
        assertEquals(expiresAt, Instant.parse(entry.value().orElseThrow().get("expiresAt").asText()));

        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis() + 200));
        IdentityApi.as(token).get("/api/me").then().statusCode(401);
        asAdmin().get("/api/tokens/" + created.getString("id")).then().body("state", equalTo("expired"));
        assertTrue(DirectoryTopic.await(TokenHash.sha256Hex(token), Entry::tombstone, WAIT).isPresent(),
                "the expiry sweep tombstones an expired token");

        String at = OffsetDateTime.now().plusHours(1).truncatedTo(ChronoUnit.SECONDS).toString();
        newToken(user, Map.of("name", "until", "expiresAt", at));
    }

    @Test
    void aMembershipChangeRepublishesEveryTokenOfTheUser() {
        Member carol = member("viewer");
        String laptop = newToken(carol.user(), Map.of("name", "laptop")).getString("token");
        String second = newTeam();

        addMember(second, carol.user(), "developer");
        for (String token : new String[] {carol.token(), laptop}) {
            assertTrue(DirectoryTopic.await(TokenHash.sha256Hex(token), e -> e.value()
                    .map(v -> "developer".equals(v.get("teams").path(second).asText())
                            && "viewer".equals(v.get("teams").path(carol.team()).asText()))
                    .orElse(false), WAIT).isPresent(), "entry with both teams");
        }

        asAdmin().contentType(ContentType.JSON).body(Map.of("role", "admin"))
                .put("/api/teams/" + carol.team() + "/members/" + carol.user()).then().statusCode(200);
        assertTrue(DirectoryTopic.await(TokenHash.sha256Hex(laptop), e -> e.value()
                .map(v -> "admin".equals(v.get("teams").path(carol.team()).asText())).orElse(false), WAIT).isPresent(),
                "entry with the new role");

        asAdmin().delete("/api/teams/" + second + "/members/" + carol.user()).then().statusCode(204);
        assertTrue(DirectoryTopic.await(TokenHash.sha256Hex(laptop), e -> e.value()
                .map(v -> v.get("teams").path(second).isMissingNode() && v.get("teams").size() == 1).orElse(false),
                WAIT).isPresent(), "entry without the team left");

        asAdmin().delete("/api/teams/" + carol.team()).then().statusCode(204);
        assertTrue(DirectoryTopic.await(TokenHash.sha256Hex(laptop), e -> e.value()
                .map(v -> v.get("teams").size() == 0).orElse(false), WAIT).isPresent(), "entry without the deleted team");
    }

    @Test
    void aPlatformAdminUserAndARemovedUser() {
        Member dave = member("developer");
        asAdmin().contentType(ContentType.JSON).body(Map.of("platformAdmin", true)).put("/api/users/" + dave.user())
                .then().statusCode(200).body("platformAdmin", equalTo(true));
        assertTrue(DirectoryTopic.await(TokenHash.sha256Hex(dave.token()), e -> e.value()
                .map(v -> v.get("platformAdmin").asBoolean()).orElse(false), WAIT).isPresent());
        // now dave may do what the platform admin does
        dave.call().contentType(ContentType.JSON).body(Map.of("name", unique("team"))).post("/api/teams")
                .then().statusCode(201);
        dave.call().get("/api/me").then().body("platformAdmin", equalTo(true));

        asAdmin().delete("/api/users/" + dave.user()).then().statusCode(204);
        dave.call().get("/api/me").then().statusCode(401);
        assertTrue(DirectoryTopic.await(TokenHash.sha256Hex(dave.token()), Entry::tombstone, WAIT).isPresent());
        asAdmin().get("/api/users/" + dave.user()).then().statusCode(404);
        asAdmin().get("/api/teams/" + dave.team() + "/members/" + dave.user()).then().statusCode(404);
    }

    @Test
    void aRestartRepublishesWhatACrashLeftUnpublished() throws Throwable {
        Member erin = member("developer");
        // as if the service died after its commit and before the publish: revoked in the table only
        IdentityDatabase.update("update identity.api_token set revoked_at = now(), revoked_by = 'crash' where id = ?::uuid",
                erin.tokenId());
        String orphan = io.berth.identity.access.NewToken.generate().token();
        UUID orphanId = UUID.randomUUID();
        IdentityDatabase.update("insert into identity.api_token (id, user_name, name, sha256, created_at, created_by)"
                + " values (?::uuid, ?, 'restored', ?, now(), 'crash')", orphanId.toString(), erin.user(),
                TokenHash.sha256Hex(orphan));

        // what the start-up does, on a Vert.x context as there
        int published = VertxContextSupport.subscribeAndAwait(() -> directory.republishEverything());
        assertTrue(published >= 2);
        assertTrue(DirectoryTopic.await(TokenHash.sha256Hex(erin.token()), Entry::tombstone, WAIT).isPresent());
        var entry = DirectoryTopic.await(TokenHash.sha256Hex(orphan), e -> !e.tombstone(), WAIT);
        assertNotNull(entry.orElse(null));
        assertEquals(orphanId.toString(), entry.get().value().orElseThrow().get("tokenId").asText());
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        Member frank = member("developer");
        String path = "/api/users/" + frank.user() + "/tokens";
        asAdmin().contentType(ContentType.JSON).body("{}").post(path)
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("name"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x", "ttl", "soon")).post(path)
                .then().statusCode(400).body("errors[0].field", equalTo("ttl"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x", "ttl", "0s")).post(path)
                .then().statusCode(400).body("errors[0].field", equalTo("ttl"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x", "ttl", "1h", "expiresAt", "2099-01-01T00:00:00Z"))
                .post(path).then().statusCode(400).body("errors[0].field", equalTo("ttl"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x", "expiresAt", "2000-01-01T00:00:00Z")).post(path)
                .then().statusCode(400).body("errors[0].field", equalTo("expiresAt"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x", "expiresAt", "tomorrow")).post(path)
                .then().statusCode(400).body("errors[0].field", equalTo("expiresAt"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "line\nbreak")).post(path)
                .then().statusCode(400).body("errors[0].field", equalTo("name"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x".repeat(65))).post(path)
                .then().statusCode(400).body("errors[0].field", equalTo("name"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x", "scope", "all")).post(path)
                .then().statusCode(400).body("errors[0].field", equalTo("scope"));
        asAdmin().get(path).then().statusCode(200).body("size()", equalTo(1));

        asAdmin().delete("/api/tokens/not-a-uuid").then().statusCode(400).body("errors[0].field", equalTo("id"));
        asAdmin().delete("/api/tokens/" + UUID.randomUUID()).then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body(Map.of("platformAdmin", "yes")).put("/api/users/" + frank.user())
                .then().statusCode(400).body("errors[0].field", equalTo("platformAdmin"));
    }
}

package io.berth.logindexer.api;

import static io.berth.common.testing.Directory.as;
import static io.berth.common.testing.TestAuth.asAdmin;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.EveryEndpoint;
import io.berth.common.testing.TwoTeams;
import io.berth.events.log.LogLine;
import io.berth.logindexer.LogProducer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Team A's and team B's apps with indexed log lines, against the log API: search, export and the
 * live tail of another team's app are answered as for an app that does not exist, and the tail
 * refuses before a byte of the stream is written; a tail open on an app ends once the app leaves
 * the caller's teams.
 */
@QuarkusTest
class TenancyTest {
    static TwoTeams teams;
    static LogProducer producer;
    static String appA;
    static String appB;

    /** Once: a @BeforeAll method runs before the HTTP client knows the test port. */
    @BeforeEach
    void teamsWithIndexedLines() throws Exception {
        if (teams != null) {
            return;
        }
        teams = TwoTeams.create();
        // the test profile indexes only berth.logs.lt-*
        appA = teams.own("lt-ta-" + teams.run, teams.teamA);
        appB = teams.own("lt-tb-" + teams.run, teams.teamB);
        producer = new LogProducer(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        for (int i = 0; i < 3; i++) {
            producer.line(line(appA, teams.teamA, "secret of " + appA + " " + i)).get();
            producer.line(line(appB, teams.teamB, "secret of " + appB + " " + i)).get();
        }
        for (String app : List.of(appA, appB)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (searchable(app) < 3) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the lines of " + app + " were not searchable within 60 s");
                }
                Thread.sleep(200);
            }
        }
        teams.awaitOwned(teams.devA, appA, "/api/logs/" + appA);
        teams.awaitOwned(teams.devB, appB, "/api/logs/" + appB);
    }

    static int searchable(String app) {
        Response response = asAdmin().get("/api/logs/" + app);
        List<Object> lines = response.statusCode() == 200 ? response.jsonPath().getList("lines") : null;
        return lines == null ? 0 : lines.size();
    }

    static LogLine line(String app, String team, String message) {
        return new LogLine(app, team, app + "-1-x", 1, Instant.now(), "stdout", "info", message, Map.of());
    }

    @AfterAll
    static void cleanUp() {
        if (teams == null) {
            return;
        }
        producer.close();
        teams.close();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class)))) {
            admin.deleteTopics(List.of("berth.logs." + appA, "berth.logs." + appB)).all().get();
        } catch (Exception ignored) {
            // best effort: the topics are this run's own
        }
    }

    @Test
    void anotherTeamsLogsAreNotFoundOnEveryOperation() {
        List<EveryEndpoint.Operation> operations = EveryEndpoint.appScoped();
        assertTrue(operations.size() >= 3, "operations: " + operations);
        for (EveryEndpoint.Operation operation : operations) {
            Response response = as(teams.devA).request(operation.method(), operation.path(appB) + "?since=10m&from=1h");
            assertTrue(TwoTeams.isHidden(response, appB), operation + " by team A: " + response.asString());
            assertFalse(response.asString().contains("secret of"), operation + " leaks a line");
        }
        // their own team's lines, and only theirs
        as(teams.viewerA).get("/api/logs/" + appA).then().statusCode(200)
                .body("lines.message", everyItem(startsWith("secret of " + appA)));
        as(teams.devA).get("/api/logs/" + appA + "/export").then().statusCode(200);
        as(teams.devB).get("/api/logs/" + appB).then().statusCode(200)
                .body("lines.size()", equalTo(3));
    }

    @Test
    void theTailOfAnotherTeamsAppIsRefusedBeforeAnyEvent() throws Exception {
        HttpResponse<InputStream> refused = openTail(teams.devA, appB, "since=10m");
        String body = new String(refused.body().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(404, refused.statusCode(), body);
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertFalse(body.contains("event:"), body);
        assertFalse(body.contains("secret of"), body);
        // the same for an app that does not exist at all
        assertEquals(404, openTail(teams.devA, "lt-none-" + teams.run, "").statusCode());
    }

    @Test
    void aTailEndsWhenTheAppLeavesTheCallersTeams() throws Exception {
        String moving = teams.own("lt-tm-" + teams.run, teams.teamB);
        producer.line(line(moving, teams.teamB, "first")).get();
        teams.awaitOwned(teams.devB, moving, "/api/logs/" + moving + "/export");
        HttpResponse<InputStream> tail = openTail(teams.devB, moving, "since=10m");
        assertEquals(200, tail.statusCode());
        BlockingQueue<String> lines = read(tail.body());
        assertTrue(poll(lines, "\"first\"", Duration.ofSeconds(10)) != null, "the replayed line");

        teams.own(moving, teams.teamA); // given to team A
        assertEquals("<end>", poll(lines, "<end>", Duration.ofSeconds(5)), "the stream ended");
        producer.line(line(moving, teams.teamA, "after the move")).get();
        assertTrue(lines.stream().noneMatch(l -> l.contains("after the move")), lines.toString());
        as(teams.devB).get("/api/logs/" + moving + "/tail").then().statusCode(404);
    }

    @Test
    void aTailEndsWithinASecondOfItsTokensRevocation() throws Exception {
        String token = teams.token("tail-" + teams.run, Map.of(teams.teamA, "viewer"));
        io.berth.common.testing.Directory.awaitAccepted(token, TwoTeams.WAIT);
        HttpResponse<InputStream> tail = openTail(token, appA, "since=10m");
        assertEquals(200, tail.statusCode());
        BlockingQueue<String> lines = read(tail.body());
        assertTrue(poll(lines, "secret of " + appA, Duration.ofSeconds(10)) != null, "a replayed line");

        long revoked = System.nanoTime();
        io.berth.common.testing.Directory.revoke(token);
        assertEquals("<end>", poll(lines, "<end>", Duration.ofSeconds(5)), "the stream ended");
        long millis = (System.nanoTime() - revoked) / 1_000_000;
        assertTrue(millis < 1000, "the tail ended " + millis + " ms after the revocation");
    }

    static HttpResponse<InputStream> openTail(String token, String app, String query) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + RestAssured.port + "/api/logs/" + app + "/tail?" + query);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The stream's lines as they come, then "<end>" when the server closes it. */
    static BlockingQueue<String> read(InputStream stream) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException closed) {
                // the same as an end
            }
            lines.add("<end>");
        }, "tenancy-tail");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** The first line that contains {@code text} within {@code timeout}, or null. */
    static String poll(BlockingQueue<String> lines, String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line != null && line.contains(text)) {
                return line;
            }
        }
        return null;
    }
}

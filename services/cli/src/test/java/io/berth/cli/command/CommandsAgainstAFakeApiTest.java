package io.berth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.CliRun;
import io.berth.cli.ExitCodes;
import io.berth.cli.FakeApi;
import io.berth.cli.api.Json;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command end to end over HTTP against canned answers: what it sends, what it prints, how it exits. */
class CommandsAgainstAFakeApiTest {
    private static final String TOKEN = "secret-token-value-123";

    @TempDir
    Path home;

    FakeApi api;

    @BeforeEach
    void start() throws Exception {
        api = new FakeApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("BERTH_HOME", home.resolve("berth").toString());
        env.put("BERTH_API", api.url());
        env.put("BERTH_TOKEN", TOKEN);
        return env;
    }

    private static String rollout(String id, String kind, int from, int to, String state, int ready, String reason) {
        return "{\"id\":\"" + id + "\",\"app\":\"web\",\"kind\":\"" + kind + "\",\"fromRelease\":" + from + ",\"toRelease\":" + to
                + ",\"replicas\":2,\"state\":\"" + state + "\",\"ready\":" + ready + ",\"reason\":"
                + (reason == null ? "null" : Json.write(reason)) + "}";
    }

    @Test
    void deployShowsTheRolloutAndExitsZeroWhenItCompletes() {
        api.json("POST /api/apps/web/releases", 201, "{\"app\":\"web\",\"version\":2,\"spec\":{\"command\":[\"sh\",\"-c\",\"exec java -jar app.jar\"]}}")
                .sse("GET /api/apps/web/rollouts/current/events",
                        rollout("r1", "release", 1, 2, "PROGRESSING", 0, null),
                        rollout("r1", "release", 1, 2, "PROGRESSING", 1, null),
                        rollout("r1", "release", 1, 2, "COMPLETED", 2, null));
        Map<String, String> env = env();
        env.put("DB_PASSWORD", "hunter2");
        CliRun run = CliRun.run(env, "deploy", "web", "--command", "sh -c 'exec java -jar app.jar'", "--replicas", "2",
                "--env", "GREETING=hi there", "--secret-env", "DB_PASSWORD", "--health-path", "/health");
        assertEquals(ExitCodes.OK, run.exit(), run.err());
        assertTrue(run.out().contains("Release v2 of web created, running: sh -c 'exec java -jar app.jar'\n"), run.out());
        assertTrue(run.out().contains("release v1 -> v2: PROGRESSING, 0/2 ready\nrelease v1 -> v2: PROGRESSING, 1/2 ready\n"
                + "release v1 -> v2: COMPLETED, 2/2 ready"), run.out());

        JsonNode sent = Json.parseOrNull(api.last("POST").body());
        assertEquals("[\"sh\",\"-c\",\"exec java -jar app.jar\"]", sent.path("command").toString());
        assertEquals(2, sent.path("replicas").asInt());
        assertEquals("{\"name\":\"GREETING\",\"value\":\"hi there\"}", sent.path("env").get(0).toString());
        assertEquals("{\"name\":\"DB_PASSWORD\",\"value\":\"hunter2\",\"secret\":true}", sent.path("env").get(1).toString());
        assertEquals("{\"type\":\"http\",\"path\":\"/health\"}", sent.path("health").toString());
        assertEquals("Bearer " + TOKEN, api.last("POST").authorization());
    }

    @Test
    void aRolledBackDeployExitsFourWithTheReason() {
        api.json("POST /api/apps/web/releases", 201, "{\"app\":\"web\",\"version\":3,\"spec\":{\"artifact\":\"/srv/app.jar\"}}")
                .sse("GET /api/apps/web/rollouts/current/events",
                        rollout("r3", "release", 2, 3, "PROGRESSING", 0, null),
                        // the automatic rollback replaced ours as the app's newest rollout
                        rollout("r4", "rollback", 3, 2, "PROGRESSING", 1, "automatic rollback: v3 failed"))
                .json("GET /api/apps/web/rollouts?size=20", 200, "[" + rollout("r4", "rollback", 3, 2, "PROGRESSING", 1,
                        "automatic rollback: v3 failed") + "," + rollout("r3", "release", 2, 3, "ROLLED_BACK", 0,
                        "no new instance became ready within 10s\nits last lines:\nboom") + "]");
        CliRun run = CliRun.run(env(), "deploy", "web", "--jar", "/srv/app.jar", "--progress-deadline", "10");
        assertEquals(ExitCodes.ROLLOUT_FAILED, run.exit(), run.out() + run.err());
        assertTrue(run.out().contains("release v2 -> v3: ROLLED_BACK, 0/2 ready"), run.out());
        assertTrue(run.out().contains("  boom"), run.out());
        assertTrue(run.err().contains("berth: the release to v3 of web ended ROLLED_BACK: no new instance became ready within 10s"),
                run.err());
        assertEquals(10, Json.parseOrNull(api.last("POST").body()).path("strategy").path("progressDeadlineSeconds").asInt());
    }

    @Test
    void noWaitReturnsOnceTheReleaseIsMade() {
        api.json("POST /api/apps/web/releases", 201, "{\"app\":\"web\",\"version\":1,\"spec\":{\"command\":[\"sleep\",\"60\"]}}");
        CliRun run = CliRun.run(env(), "deploy", "web", "--no-wait", "--", "sleep", "60");
        assertEquals(ExitCodes.OK, run.exit(), run.err());
        assertEquals("[\"sleep\",\"60\"]", Json.parseOrNull(api.last("POST").body()).path("command").toString());
        assertEquals(1, api.requests.size());
    }

    @Test
    void aProblemIsOneLineNamingTheFieldAndExitsTwo() {
        api.json("POST /api/apps", 400, "{\"type\":\"urn:berth:problem:invalid-request\",\"title\":\"Invalid request\",\"status\":400,"
                + "\"detail\":\"name: must be a DNS label\",\"errors\":[{\"field\":\"name\",\"message\":\"must be a DNS label\"}]}");
        CliRun run = CliRun.run(env(), "apps", "create", "Bad_Name");
        assertEquals(ExitCodes.REFUSED, run.exit());
        assertEquals("berth: Invalid request: name: must be a DNS label (field name)\n", run.err());
    }

    @Test
    void jsonPrintsTheApisAnswerAsItCame() {
        String body = "[{\"name\":\"web\",\"team\":\"a\",\"replicas\":2,\"currentRelease\":3,\"targetRelease\":3,\"createdAt\":\"2026-11-22T09:57:00Z\"}]";
        api.json("GET /api/apps?size=500", 200, body);
        assertEquals(body + "\n", CliRun.run(env(), "apps", "list", "--json").out());
        CliRun table = CliRun.run(env(), "apps", "list");
        assertEquals("NAME  TEAM  RELEASE  REPLICAS  AGE\nweb   a     v3       2         3m\n", table.out());
    }

    @Test
    void logsPrintsOldestFirstWithTheFiltersSent() {
        api.json("GET /api/logs/web?from=2026-11-22T09%3A50%3A00Z&q=GET&level=info&size=100", 200, "{\"app\":\"web\",\"lines\":["
                + "{\"time\":\"2026-11-22T09:59:02Z\",\"instance\":\"web-1\",\"level\":\"info\",\"message\":\"GET / 200 second\"},"
                + "{\"time\":\"2026-11-22T09:59:01Z\",\"instance\":\"web-1\",\"level\":\"info\",\"message\":\"GET / 200 first\"}],"
                + "\"next\":null}");
        CliRun run = CliRun.run(env(), "logs", "web", "--since", "10m", "--grep", "GET", "--level", "info");
        assertEquals(ExitCodes.OK, run.exit(), run.err());
        assertEquals("2026-11-22T09:59:01Z web-1 INFO GET / 200 first\n2026-11-22T09:59:02Z web-1 INFO GET / 200 second\n", run.out());
    }

    @Test
    void followPrintsEachLogEventAsItComes() {
        api.sse("GET /api/logs/web/tail?since=2026-11-22T09%3A59%3A00Z", "event: ready\ndata: {\"partitions\":3}",
                "event: log\nid: t-0-1\ndata: {\"time\":\"2026-11-22T09:59:30Z\",\"instance\":\"web-1\",\"message\":\"hello\"}");
        CliRun run = CliRun.run(env(), "logs", "web", "-f", "--since", "1m");
        assertEquals("2026-11-22T09:59:30Z web-1 hello\n", run.out());
        assertTrue(run.err().contains("Following the logs of web"), run.err());
        assertEquals(ExitCodes.UNAVAILABLE, run.exit(), "a stream the server ended is reported");
    }

    @Test
    void loginChecksTheTokenSavesItPrivatelyAndNeverPrintsIt() throws Exception {
        api.json("GET /api/me", 200, "{\"user\":\"dev\",\"kind\":\"user\",\"platformAdmin\":false,\"teams\":[{\"team\":\"a\",\"role\":\"developer\"}]}");
        Map<String, String> env = env();
        env.remove("BERTH_TOKEN");
        env.remove("BERTH_API");
        InputStream stdin = System.in;
        CliRun run;
        try {
            System.setIn(new ByteArrayInputStream((TOKEN + "\n").getBytes(StandardCharsets.UTF_8)));
            run = CliRun.run(env, "login", "--api", api.url(), "--token-stdin");
        } finally {
            System.setIn(stdin);
        }
        assertEquals(ExitCodes.OK, run.exit(), run.err());
        assertTrue(run.out().contains("Logged in to " + api.url() + " as dev (a as developer)."), run.out());
        assertFalse(run.out().contains(TOKEN) || run.err().contains(TOKEN));
        Path config = home.resolve("config/berth/config.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.getParent())));

        // the next command uses the saved address and token
        api.json("GET /api/apps?size=500", 200, "[]");
        assertEquals(ExitCodes.OK, CliRun.run(env, "apps", "list").exit());
        assertEquals("Bearer " + TOKEN, api.last("GET").authorization());

        assertEquals(ExitCodes.OK, CliRun.run(env, "logout").exit());
        assertFalse(Files.exists(config));
    }

    @Test
    void aRefusedLoginSavesNothing() {
        api.json("GET /api/me", 401, "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"a valid bearer token is required\"}");
        Map<String, String> env = env();
        CliRun run = CliRun.run(env, "login", "--api", api.url(), "--token-file", "/dev/null");
        assertEquals(ExitCodes.USAGE, run.exit(), "an empty token file is refused before any call: " + run.err());
        env.put("BERTH_TOKEN", "wrong");
        run = CliRun.run(env, "login", "--api", api.url());
        assertEquals(ExitCodes.REFUSED, run.exit(), run.err());
        assertTrue(run.err().contains("Unauthorized: a valid bearer token is required; log in again"), run.err());
        assertFalse(Files.exists(home.resolve("config/berth/config.json")));
    }

    @Test
    void tokensCreateShowsTheNewTokenOnce() {
        api.json("GET /api/me", 200, "{\"user\":\"dev\",\"kind\":\"user\",\"teams\":[]}")
                .json("POST /api/users/dev/tokens", 201, "{\"id\":\"9b2\",\"user\":\"dev\",\"name\":\"ci\",\"token\":\"brt_new\"}");
        CliRun run = CliRun.run(env(), "tokens", "create", "ci");
        assertEquals(ExitCodes.OK, run.exit(), run.err());
        assertTrue(run.out().endsWith("store it now:\nbrt_new\n"), run.out());
        assertFalse(run.out().contains(TOKEN));
    }
}

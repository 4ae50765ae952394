package io.berth.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 8, acceptance 2: the packaged `berth` command (bin/berth running services/cli's jar, each
 * call a real process) through the flow a person follows, against the console's one address
 * (decision 8) with a team member's token: log in, create an app, deploy the sample (exit 0, the
 * rollout's progress printed), a release that never starts (exit 4, rolled back), releases, roll
 * back, scale, instances, follow the logs while requests go through the gateway, search them, set
 * autoscaling, --json that parses, bad input (exit 2 naming the field), and team B's token told
 * that A's app does not exist.
 */
@ExtendWith(SystemPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliFlowIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Path LAUNCHER = SystemPlatform.ROOT.resolve("bin/berth");
    static final Path JAR = SystemPlatform.ROOT.resolve("services/cli/target/berth-cli.jar");
    private static final AtomicInteger CALLS = new AtomicInteger();
    private static final Pattern TOKEN = Pattern.compile("berth_[A-Za-z0-9_-]{20,}");

    static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    // "sys" and a letter: the system platform's collector and indexer handle this app's logs
    static final String APP = "sysc-" + RUN;
    static final String TEAM_A = "cli-a-" + RUN;
    static final String TEAM_B = "cli-b-" + RUN;

    static Path dir;
    static String api;
    static Tenants.Member devA;
    static Tenants.Member devB;

    record Result(int exit, String out, String err) {
        String all() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    @BeforeAll
    static void cast() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: build it first (./mvnw install -DskipTests -pl services/cli)");
        dir = Files.createDirectories(SystemPlatform.TARGET.resolve("cli-flow/" + RUN));
        api = SystemPlatform.get().consoleUrl();
        Tenants.admin("identity", "POST", "/api/teams", "{\"name\":\"" + TEAM_A + "\"}");
        Tenants.admin("identity", "POST", "/api/teams", "{\"name\":\"" + TEAM_B + "\"}");
        devA = member(TEAM_A, "cli-dev-a-" + RUN);
        devB = member(TEAM_B, "cli-dev-b-" + RUN);
    }

    @AfterAll
    static void removeTheApp() {
        if (devA != null) {
            // whatever the tests left: no instance of this class outlives the run
            berth(devA, Duration.ofSeconds(60), "apps", "delete", APP, "--yes");
        }
    }

    private static Tenants.Member member(String team, String user) {
        Tenants.admin("identity", "POST", "/api/teams/" + team + "/members", "{\"user\":\"" + user + "\",\"role\":\"developer\"}");
        Tenants.Member m = Tenants.token(user, "cli-flow", null);
        Tenants.awaitAcceptedEverywhere(m.token(), Duration.ofSeconds(10));
        return m;
    }

    @Test
    @Order(1)
    void loginChecksTheTokenAndSavesItForTheNextCommands() throws Exception {
        Result login = run(null, devA.token(), Duration.ofSeconds(30), "login", "--api", api, "--token-stdin");
        assertEquals(0, login.exit(), login.all());
        assertTrue(login.out().contains("Logged in to " + api + " as " + devA.user() + " (" + TEAM_A + " as developer)"), login.all());
        assertFalse(login.all().contains(devA.token()), "the token is never printed");
        Path config = dir.resolve("config/berth/config.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config)));

        // no BERTH_TOKEN and no BERTH_API: the saved login is used
        Result whoami = run(null, null, Duration.ofSeconds(30), "whoami");
        assertEquals(0, whoami.exit(), whoami.all());
        assertTrue(whoami.out().startsWith(devA.user() + " (" + TEAM_A + " as developer)"), whoami.all());

        Result wrong = run(null, "not-a-token", Duration.ofSeconds(30), "login", "--api", api, "--token-stdin");
        assertEquals(2, wrong.exit(), wrong.all());
        assertTrue(wrong.err().startsWith("berth: Unauthorized"), wrong.all());
        assertEquals(0, run(null, null, Duration.ofSeconds(30), "whoami").exit(), "a refused login keeps the saved one");
    }

    @Test
    @Order(2)
    void appsCreateListAndShow() throws Exception {
        Result created = ok(berth(devA, "apps", "create", APP));
        assertTrue(created.out().contains("Created app " + APP + " (team " + TEAM_A + ")"), created.all());

        Result list = ok(berth(devA, "apps", "list"));
        assertTrue(Pattern.compile("(?m)^NAME +TEAM +RELEASE +REPLICAS +AGE$").matcher(list.out()).find(), list.all());
        assertTrue(Pattern.compile("(?m)^" + APP + " +" + TEAM_A + " +- +0 +\\d+s$").matcher(list.out()).find(), list.all());

        JsonNode apps = json(berth(devA, "apps", "list", "--json"));
        assertTrue(apps.isArray() && apps.toString().contains("\"name\":\"" + APP + "\""), apps.toString());

        Result show = ok(berth(devA, "apps", "show", APP));
        assertTrue(show.out().contains("team      " + TEAM_A), show.all());
        assertEquals(TEAM_A, json(berth(devA, "apps", "show", APP, "--json")).path("team").asText());
    }

    @Test
    @Order(3)
    void deployFollowsTheRolloutAndExitsZeroWhenItCompletes() {
        Result v1 = berth(devA, Duration.ofSeconds(240), "deploy", APP, "--jar", SystemPlatform.SAMPLE_ARTIFACT.toString(), "--command", sample(), "--health-path", "/health",
                "--replicas", "1", "--env", "GREETING=first");
        assertEquals(0, v1.exit(), v1.all());
        assertTrue(v1.out().contains("Release v1 of " + APP + " created, running: java -Xmx32m"), v1.all());
        assertTrue(v1.out().contains("release v1: PROGRESSING, 0/1 ready"), "progress is printed as it happens: " + v1.all());
        assertTrue(v1.out().contains("release v1: COMPLETED, 1/1 ready"), v1.all());

        // --jar alone: the agent runs `java -jar` of it; its JVM flags through the environment

        Result v2 = berth(devA, Duration.ofSeconds(240), "deploy", APP, "--jar", SystemPlatform.SAMPLE_ARTIFACT.toString(),
                "--health-path", "/health", "--env", "GREETING=second", "--env", "JAVA_TOOL_OPTIONS=" + SystemPlatform.SAMPLE_JVM_FLAGS,
                "--memory", "256");
        assertEquals(0, v2.exit(), v2.all());
        assertTrue(v2.out().contains("created, running: java -jar " + SystemPlatform.SAMPLE_ARTIFACT), v2.all());
        assertTrue(v2.out().contains("release v1 -> v2: COMPLETED, 1/1 ready"), v2.all());
    }

    @Test
    @Order(4)
    void aReleaseThatNeverBecomesReadyExitsFourAndIsRolledBack() {
        Result v3 = berth(devA, Duration.ofSeconds(180), "deploy", APP, "--command", "sh -c 'echo cli-flow-boom; exit 1'",
                "--progress-deadline", "8");
        assertEquals(4, v3.exit(), v3.all());
        assertTrue(v3.out().contains("release v2 -> v3: ROLLED_BACK"), v3.all());
        assertTrue(v3.err().contains("berth: the release to v3 of " + APP + " ended ROLLED_BACK"), v3.all());
        Tenants.awaitRollout(APP);
    }

    @Test
    @Order(5)
    void releasesListEachVersionAndMarkTheRunningOne() throws Exception {
        Result releases = ok(berth(devA, "releases", APP));
        assertTrue(Pattern.compile("(?m)^ +VERSION +RUNS +REPLICAS +BY +AGE$").matcher(releases.out()).find(), releases.all());
        assertTrue(Pattern.compile("(?m)^\\* +v2 +java -jar ").matcher(releases.out()).find(), releases.all());
        assertTrue(Pattern.compile("(?m)^ +v3 +sh -c 'echo cli-flow-boom; exit 1' +1 +" + devA.user()).matcher(releases.out()).find(),
                releases.all());
        JsonNode json = json(berth(devA, "releases", APP, "--json"));
        assertEquals(3, json.size(), json.toString());
        assertEquals("second", json.get(1).path("spec").path("env").get(0).path("value").asText());
    }

    @Test
    @Order(6)
    void rollbackAndRestartFollowTheirRolloutsToTheEnd() throws Exception {
        Result back = berth(devA, Duration.ofSeconds(240), "rollback", APP, "--to", "1");
        assertEquals(0, back.exit(), back.all());
        assertTrue(back.out().contains("Rolling " + APP + " back to v1."), back.all());
        assertTrue(back.out().contains("rollback v2 -> v1: COMPLETED, 1/1 ready"), back.all());
        assertEquals(1, json(berth(devA, "apps", "show", APP, "--json")).path("currentRelease").asInt());

        Result restart = berth(devA, Duration.ofSeconds(240), "restart", APP);
        assertEquals(0, restart.exit(), restart.all());
        assertTrue(restart.out().contains("restart v1 -> v1: COMPLETED, 1/1 ready"), restart.all());
    }

    @Test
    @Order(7)
    void scaleAndInstances() throws Exception {
        Result scaled = ok(berth(devA, "scale", APP, "2"));
        assertTrue(scaled.out().contains("Scaled " + APP + " to 2 instances"), scaled.all());
        awaitJson(List.of("instances", APP, "--json"),
                list -> count(list, i -> i.path("ready").asBoolean() && !i.path("terminating").asBoolean()) == 2,
                Duration.ofSeconds(120));
        Result table = ok(berth(devA, "instances", APP));
        assertTrue(Pattern.compile("(?m)^ID +RELEASE +STATE +READY +ADDRESS +RESTARTS +REASON$").matcher(table.out()).find(), table.all());
        assertTrue(table.out().lines().filter(Pattern.compile("^" + APP + "-1-[a-z0-9]+ +v1 +READY +yes +10\\.89\\.\\d+\\.\\d+:\\d+ +0 ")
                .asPredicate()).count() >= 2, table.all());
    }

    @Test
    @Order(8)
    void logsFollowShowsANewLineWithinSeconds() throws Exception {
        String marker = "/cli-follow-" + UUID.randomUUID();
        Path out = dir.resolve("follow.out");
        Path err = dir.resolve("follow.err");
        Process follow = process(devA.token(), api, List.of("logs", APP, "-f")).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        try {
            awaitFile(err, text -> text.contains("Following the logs of " + APP), Duration.ofSeconds(30), follow);
            long sent = System.nanoTime();
            String seen = null;
            // a request every half second until the line is printed (the first may meet an instance still joining)
            while (seen == null && System.nanoTime() - sent < Duration.ofSeconds(15).toNanos()) {
                throughGateway(marker);
                Thread.sleep(500);
                String text = Files.readString(out);
                seen = text.contains("GET " + marker + " 404") ? text : null;
            }
            assertTrue(seen != null, "no line with " + marker + " within 15 s: " + Files.readString(out) + Files.readString(err));
            System.out.printf("berth logs -f printed the request's line %d ms after the first request%n",
                    (System.nanoTime() - sent) / 1_000_000);
            assertTrue(Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\dT[^ ]+Z " + APP + "-[^ ]+ .*GET " + marker + " 404$")
                    .matcher(seen).find(), seen);
        } finally {
            follow.destroy();
            follow.waitFor(10, TimeUnit.SECONDS);
            follow.destroyForcibly();
        }
        // the same line, searched: --since and --grep
        Result found = awaitOk(List.of("logs", APP, "--since", "10m", "--grep", marker.substring(1)),
                r -> r.out().contains("GET " + marker + " 404"), Duration.ofSeconds(60));
        assertFalse(found.out().lines().anyMatch(l -> !l.contains(marker)), "only lines with the words: " + found.all());
        JsonNode page = json(berth(devA, "logs", APP, "--since", "10m", "--grep", marker.substring(1), "--json"));
        assertTrue(page.path("lines").size() >= 1, page.toString());
        Result none = ok(berth(devA, "logs", APP, "--since", "2026-01-01T00:00:00Z", "--until", "2026-01-01T00:10:00Z"));
        assertEquals("", none.out(), "an old window holds nothing");
    }

    @Test
    @Order(9)
    void autoscaleSetShowAndDecisions() throws Exception {
        Result set = ok(berth(devA, "autoscale", "set", APP, "--min", "1", "--max", "3", "--rps", "100000"));
        assertTrue(set.out().contains("Autoscaling of " + APP + " set: 1 to 3 instances, requestsPerSecond 100000/instance."), set.all());
        Result show = ok(berth(devA, "autoscale", "show", APP));
        assertTrue(show.out().startsWith("1 to 3 instances, requestsPerSecond 100000/instance\nbehaviour: "), show.all());
        JsonNode policy = json(berth(devA, "autoscale", "show", APP, "--json"));
        assertEquals(3, policy.path("maxReplicas").asInt());
        assertTrue(json(berth(devA, "autoscale", "decisions", APP, "--json")).isArray());
        ok(berth(devA, "autoscale", "decisions", APP));
    }

    @Test
    @Order(10)
    void badInputIsExitTwoWithTheFieldNamed() {
        Result name = berth(devA, "apps", "create", "Not_A_Name");
        assertEquals(2, name.exit(), name.all());
        assertTrue(name.err().startsWith("berth: Invalid request: name: ") && name.err().strip().endsWith("(field name)"), name.all());

        Result bounds = berth(devA, "autoscale", "set", APP, "--min", "5", "--max", "2");
        assertEquals(2, bounds.exit(), bounds.all());
        assertTrue(bounds.err().contains("(field minReplicas)"), bounds.all());

        Result port = berth(devA, "deploy", APP, "--command", "sleep 60", "--port", "70000");
        assertEquals(2, port.exit(), port.all());
        assertTrue(port.err().contains("(field port)"), port.all());

        Result usage = berth(devA, "scale", APP, "lots");
        assertEquals(1, usage.exit(), "not a number is the CLI's own usage error: " + usage.all());
    }

    @Test
    @Order(11)
    void teamBIsToldTeamAsAppDoesNotExist() throws Exception {
        for (List<String> command : List.of(List.of("apps", "show", APP), List.of("releases", APP), List.of("instances", APP),
                List.of("logs", APP), List.of("scale", APP, "0"), List.of("autoscale", "show", APP))) {
            Result r = berth(devB, command.toArray(String[]::new));
            assertEquals(2, r.exit(), command + ": " + r.all());
            assertTrue(r.err().startsWith("berth: Not Found: ") && r.err().contains("'" + APP + "'"), command + ": " + r.all());
        }
        assertFalse(ok(berth(devB, "apps", "list", "--json")).out().contains(APP));
        assertEquals(2, json(berth(devA, "apps", "show", APP, "--json")).path("replicas").asInt(), "B's scale changed nothing");
    }

    @Test
    @Order(12)
    void teamsAndTokens() throws Exception {
        Result teams = ok(berth(devA, "teams", "list"));
        assertTrue(Pattern.compile("(?m)^" + TEAM_A + " +developer ").matcher(teams.out()).find(), teams.all());
        Result members = ok(berth(devA, "teams", "members", "list", TEAM_A));
        assertTrue(members.out().contains(devA.user()), members.all());

        JsonNode created = json(berth(devA, "tokens", "create", "laptop", "--json"));
        String token = created.path("token").asText();
        assertFalse(token.isEmpty(), created.toString());
        Tenants.awaitAcceptedEverywhere(token, Duration.ofSeconds(10));
        Result withIt = run(api, token, Duration.ofSeconds(30), "whoami");
        assertTrue(withIt.out().startsWith(devA.user()), withIt.all());
        Result list = ok(berth(devA, "tokens", "list"));
        assertTrue(Pattern.compile("(?m)^" + created.path("id").asText() + " +laptop +active ").matcher(list.out()).find(), list.all());
        assertFalse(list.out().contains(token), "a listing never shows a token");
        ok(berth(devA, "tokens", "revoke", created.path("id").asText()));
        assertTrue(ok(berth(devA, "tokens", "list", "--json")).out().contains("\"state\":\"revoked\""));
    }

    @Test
    @Order(13)
    void completionAndDelete() {
        Result completion = ok(berth(devA, "completion"));
        assertTrue(completion.out().contains("complete -F _complete_berth"), completion.out());
        Result deleted = ok(berth(devA, Duration.ofSeconds(60), "apps", "delete", APP, "--yes"));
        assertTrue(deleted.out().contains("Deleting app " + APP), deleted.all());
    }

    /** GET through the system platform's HAProxy, the app picked by its Host header (a socket: java.net.http will not send Host). */
    static void throughGateway(String path) throws IOException {
        URI gateway = URI.create(SystemPlatform.get().gatewayUrl());
        try (java.net.Socket socket = new java.net.Socket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + APP + "." + SystemPlatform.DOMAIN
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getInputStream().readAllBytes();
        }
    }

    // --- the CLI as a process

    /** The sample as the other system tests run it, small and quick to start (with the artifact given by --jar). */
    static String sample() {
        return "java " + SystemPlatform.SAMPLE_JVM_FLAGS + " -jar " + SystemPlatform.SAMPLE_ARTIFACT;
    }

    static Result berth(Tenants.Member as, String... args) {
        return berth(as, Duration.ofSeconds(60), args);
    }

    static Result berth(Tenants.Member as, Duration timeout, String... args) {
        return run(api, as.token(), timeout, args);
    }

    static Result ok(Result r) {
        assertEquals(0, r.exit(), r.all());
        return r;
    }

    static JsonNode json(Result r) {
        ok(r);
        try {
            return JSON.readTree(r.out());
        } catch (IOException e) {
            throw new AssertionError("--json printed no JSON: " + r.all(), e);
        }
    }

    /**
     * bin/berth as a person runs it, with a home of its own (no saved login but the one the test
     * makes, no admin token file to fall back on). {@code apiEnv} and {@code token} go in as
     * BERTH_API and BERTH_TOKEN, each left out when null; for `login` the token goes to stdin.
     */
    static Result run(String apiEnv, String token, Duration timeout, String... args) {
        int n = CALLS.incrementAndGet();
        Path out = dir.resolve(n + ".out");
        Path err = dir.resolve(n + ".err");
        boolean login = args.length > 0 && args[0].equals("login");
        try {
            ProcessBuilder builder = process(login ? null : token, apiEnv, List.of(args)).redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (login) {
                Path stdin = dir.resolve(n + ".in");
                Files.writeString(stdin, token == null ? "" : token + "\n");
                builder.redirectInput(stdin.toFile());
            }
            long started = System.nanoTime();
            Process p = builder.start();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("berth " + String.join(" ", args) + " did not end within " + timeout + ": "
                        + Files.readString(out) + Files.readString(err));
            }
            Files.deleteIfExists(dir.resolve(n + ".in"));
            Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
            // the test's own log: each call, what it printed (a created token masked), how long it took
            System.out.printf("$ berth %s   # exit %d, %d ms%n%s%s", String.join(" ", args), r.exit(),
                    (System.nanoTime() - started) / 1_000_000, TOKEN.matcher(r.out()).replaceAll("berth_********"), r.err());
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static ProcessBuilder process(String token, String apiEnv, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("BERTH_") || k.startsWith("XDG_"));
        env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        env.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        env.put("XDG_CACHE_HOME", dir.resolve("cache").toString());
        env.put("BERTH_HOME", Files.createDirectories(dir.resolve("berth-home")).toString());
        if (apiEnv != null) {
            env.put("BERTH_API", apiEnv);
        }
        if (token != null) {
            env.put("BERTH_TOKEN", token);
        }
        return builder;
    }

    static Result awaitOk(List<String> args, Predicate<Result> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Result last;
        do {
            last = berth(devA, args.toArray(String[]::new));
            if (last.exit() == 0 && condition.test(last)) {
                return last;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("berth " + args + " did not get there in " + timeout + ": " + last.all());
    }

    static JsonNode awaitJson(List<String> args, Predicate<JsonNode> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last;
        do {
            last = json(berth(devA, args.toArray(String[]::new)));
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("berth " + args + " did not get there in " + timeout + ": " + last);
    }

    static int count(JsonNode list, Predicate<JsonNode> which) {
        int n = 0;
        for (JsonNode item : list) {
            n += which.test(item) ? 1 : 0;
        }
        return n;
    }

    static void awaitFile(Path file, Predicate<String> condition, Duration timeout, Process process) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String text = Files.exists(file) ? Files.readString(file) : "";
            if (condition.test(text)) {
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError("berth ended (exit " + process.exitValue() + "): " + text);
            }
            Thread.sleep(100);
        }
        throw new AssertionError(file + " did not show it within " + timeout + ": " + Files.readString(file));
    }
}

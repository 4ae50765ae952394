package io.berth.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.TestAuth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 7, acceptance 1 and 2, over the packaged platform: every operation that every service
 * documents in its OpenAPI, called with team A's tokens about team B's app (and B's team, user,
 * instance and token), with B's own token, with A's viewer about A's things, and without a token;
 * then a revoked and an expired token against every service.
 */
@ExtendWith(SystemPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantIsolationIT {
    /** checks per service: operations, A against B, B on its own, A's viewer, no or a wrong token */
    private static final Map<String, AtomicIntegerArray> TABLE = new ConcurrentHashMap<>();
    private static final String[] COLUMNS = {"operations", "A on B's", "B on its own", "viewer mutates A's", "no token"};

    /** Whose things a call is about: the {app}, {team}, {user}, instance and token it names. */
    record Target(String app, String team, String user, String instance, String tokenId) {
    }

    static Target of(Tenants t, boolean teamB) {
        return teamB ? new Target(t.appB, t.teamB, t.devB.user(), first(t.instancesB), t.devB.tokenId())
                : new Target(t.appA, t.teamA, t.devA.user(), first(t.instancesA), t.devA.tokenId());
    }

    private static String first(List<String> ids) {
        return ids.isEmpty() ? "no-instance" : ids.get(0);
    }

    /** The operation's path with its variables filled for {@code target}, and ?app= when it takes one. */
    static String path(OpenApi.Operation op, Target target) {
        String path = op.template().replace("{app}", target.app()).replace("{team}", target.team())
                .replace("{user}", target.user()).replace("{version}", "1");
        if (path.contains("{id}")) {
            path = path.replace("{id}", op.service().equals("identity") ? target.tokenId() : target.instance());
        }
        path = path.replaceAll("\\{[^}]+}", "1");
        if (op.query().contains("app")) {
            path += (path.contains("?") ? "&" : "?") + "app=" + target.app();
        }
        return path;
    }

    /** A body the operation would accept from someone allowed, about {@code target}. */
    static String body(OpenApi.Operation op, Target target, String run) {
        if (!op.hasBody()) {
            return null;
        }
        String t = op.template();
        return switch (op.service() + " " + op.method() + " " + t) {
            case "deploy POST /api/apps" -> "{\"name\":\"sysz-" + run + "\",\"team\":\"" + target.team() + "\"}";
            case "deploy POST /api/apps/{app}/releases" -> Tenants.release("intruder" + run);
            case "deploy POST /api/apps/{app}/scale" -> "{\"replicas\":3}";
            case "deploy POST /api/apps/{app}/rollback" -> "{\"release\":1}";
            case "autoscaler PUT /api/apps/{app}/autoscaling" ->
                    "{\"minReplicas\":2,\"maxReplicas\":3,\"metrics\":[{\"metric\":\"requestsPerSecond\",\"target\":5}]}";
            case "agent POST /api/instances" -> "{\"id\":\"" + target.app() + "-intruder\",\"app\":\"" + target.app()
                    + "\",\"release\":1,\"command\":[\"sleep\",\"30\"]}";
            case "identity POST /api/teams" -> "{\"name\":\"systz-" + run + "\"}";
            case "identity POST /api/teams/{team}/members" -> "{\"user\":\"intruder-" + run + "\",\"role\":\"admin\"}";
            case "identity PUT /api/teams/{team}/members/{user}" -> "{\"role\":\"admin\"}";
            case "identity POST /api/users/{user}/tokens" -> "{\"name\":\"intruder\"}";
            case "identity PUT /api/users/{user}" -> "{\"platformAdmin\":true}";
            default -> "{}";
        };
    }

    /** About another team's thing: it names one in its path, its ?app= or (a change) its body. */
    static boolean namesATarget(OpenApi.Operation op) {
        return op.template().contains("{") || op.query().contains("app") || op.changes();
    }

    private static void count(String service, int column) {
        TABLE.computeIfAbsent(service, s -> new AtomicIntegerArray(COLUMNS.length)).incrementAndGet(column);
    }

    /** What of B must never be in an answer to A (unless A named it in the request itself). */
    static List<String> secretsOfB(Tenants t) {
        List<String> of = new ArrayList<>(List.of(t.markerB, t.appB, t.teamB, t.devB.tokenId(), t.devB.user(), t.adminB.user()));
        of.addAll(t.instancesB);
        return of;
    }

    static Http.Response send(OpenApi.Operation op, String target, Tenants.Member as, String body) {
        Http.Request request = Http.request(op.method(), op.base(), target).service(op.service());
        if (as != null) {
            request.as(as.token(), as.user());
        }
        if (op.streams()) {
            request.stream(1500);
        }
        return request.body(body).send();
    }


    @Test
    @Order(1)
    void teamAReachesNothingOfTeamBAndBReachesItsOwn() throws Exception {
        Tenants t = Tenants.get();
        List<OpenApi.Operation> operations = OpenApi.everything();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Target b = of(t, true);
        // B's own reads first, while nothing has been tried against it
        for (OpenApi.Operation op : operations) {
            count(op.service(), 0);
            if (op.changes() || !namesATarget(op)) {
                continue;
            }
            String target = path(op, b);
            Http.Response answer = send(op, target, t.devB, null);
            count(op.service(), 2);
            // an {app} path is the app's own; an operation that only filters by ?app= may be for admins (the audit,
            // the agent's platform-internal API): a 403 there is no failure
            boolean appScoped = op.pathHas("app");
            boolean fine = appScoped ? answer.status() / 100 == 2 : answer.status() / 100 == 2 || answer.status() == 403;
            if (!fine) {
                failures.add("B on its own: " + op.method() + " " + target + " (" + op.service() + ") -> " + answer);
            }
        }
        List<String> leaks = secretsOfB(t);
        for (Tenants.Member a : List.of(t.devA, t.viewerA, t.adminA)) {
            for (OpenApi.Operation op : operations) {
                String target = path(op, b);
                boolean names = namesATarget(op);
                String body = body(op, b, t.run);
                Http.Response answer = send(op, target, a, body);
                count(op.service(), 1);
                if (names && answer.status() != 404 && answer.status() != 403) {
                    failures.add(a.user() + " on B's: " + op.method() + " " + target + " (" + op.service() + ") -> " + answer);
                } else if (!names && answer.status() / 100 != 2 && answer.status() != 403) {
                    failures.add(a.user() + " listing: " + op.method() + " " + target + " (" + op.service() + ") -> " + answer);
                } else if (answer.status() >= 400 && !answer.isProblem()) {
                    failures.add(a.user() + " on B's, not a problem answer: " + op.method() + " " + target + " -> " + answer);
                }
                // A's own audit entries name what A tried on B's (AuditTrailIT checks whose entries it sees)
                String text = op.template().equals("/api/audit") ? "" : answer.text();
                for (String secret : leaks) {
                    if (text.contains(secret) && !target.contains(secret) && (body == null || !body.contains(secret))) {
                        failures.add(a.user() + " saw B's '" + secret + "' in " + op.method() + " " + target + " ("
                                + op.service() + "): " + answer);
                    }
                }
            }
            // the logs of B's app, by the words of its first line: nothing, in no form
            String logs = SystemPlatform.get().apis().get("log-indexer");
            for (String read : List.of("?q=" + t.markerB, "/export?q=" + t.markerB, "/tail?since=1h")) {
                Http.Request request = Http.request("GET", logs, "/api/logs/" + t.appB + read).as(a.token(), null);
                Http.Response answer = (read.startsWith("/tail") ? request.stream(2000) : request).send();
                count("log-indexer", 1);
                if (answer.status() != 404 || answer.text().contains(t.markerB)) {
                    failures.add(a.user() + " read B's logs " + read + " -> " + answer);
                }
            }
        }
        // and the rest of B's is as it was: none of those calls changed it
        Http.Response appB = Http.request("GET", Tenants.deploy(), "/api/apps/" + t.appB).as(TestAuth.ADMIN_TOKEN, null).send();
        if (appB.status() != 200 || appB.json().path("replicas").asInt() != 1 || appB.json().path("currentRelease").asInt() != 1) {
            failures.add("B's app changed under A's calls: " + appB);
        }
        report(failures, "A against B / B on its own");
    }

    @Test
    @Order(2)
    void aViewerChangesNothingOfItsTeam() throws Exception {
        Tenants t = Tenants.get();
        Target a = of(t, false);
        List<String> failures = new ArrayList<>();
        for (OpenApi.Operation op : OpenApi.everything()) {
            if (!op.changes()) {
                continue;
            }
            String target = path(op, a);
            Http.Response answer = send(op, target, t.viewerA, body(op, a, t.run));
            count(op.service(), 3);
            // 403; the identity service tells a non-manager that another user or token does not exist
            boolean hidden = answer.status() == 404 && op.service().equals("identity")
                    && (op.pathHas("user") || op.pathHas("id"));
            if (answer.status() != 403 && !hidden) {
                failures.add("viewer: " + op.method() + " " + target + " (" + op.service() + ") -> " + answer);
            }
        }
        report(failures, "viewer");
    }

    @Test
    @Order(3)
    void withoutATokenOnlyHealthAnswers() throws Exception {
        Tenants t = Tenants.get();
        List<String> failures = new ArrayList<>();
        for (OpenApi.Operation op : OpenApi.everything()) {
            String target = path(op, of(t, true));
            for (String token : new String[] {null, "berth_not-a-token"}) {
                Http.Request request = Http.request(op.method(), op.base(), target).body(body(op, of(t, true), t.run));
                if (token != null) {
                    request.as(token, null);
                }
                Http.Response answer = request.send();
                count(op.service(), 4);
                if (answer.status() != 401) {
                    failures.add((token == null ? "no token: " : "wrong token: ") + op + " -> " + answer);
                }
            }
        }
        for (var service : SystemPlatform.get().apis().entrySet()) {
            for (String path : List.of("/q/openapi", "/q/metrics")) {
                if (Http.request("GET", service.getValue(), path).send().status() != 401) {
                    failures.add("no token: " + service.getKey() + " " + path);
                }
            }
            for (String path : List.of("/q/health/live", "/q/health/ready")) {
                int status = Http.request("GET", service.getValue(), path).send().status();
                if (status != 200) {
                    failures.add("health is not open: " + service.getKey() + " " + path + " -> " + status);
                }
            }
        }
        report(failures, "no token");
    }

    @Test
    @Order(4)
    void aRevokedTokenIsRefusedEverywhereWithinASecond() throws Exception {
        Tenants t = Tenants.get();
        Tenants.Member doomed = Tenants.token(t.devA.user(), "to-revoke", null);
        Tenants.awaitAcceptedEverywhere(doomed.token(), Duration.ofSeconds(10));
        Tenants.admin("identity", "DELETE", "/api/tokens/" + doomed.tokenId(), null);
        Instant revoked = Instant.now();
        Map<String, Long> millis = refusedAfter(doomed.token(), revoked);
        System.out.println("revoked token refused after (ms): " + millis);
        millis.forEach((service, ms) -> assertTrue(ms <= 1000, service + " still took the revoked token " + ms + " ms later"));
    }

    @Test
    @Order(5)
    void anExpiredTokenIsRefusedEverywhereWithinASecond() throws Exception {
        Tenants t = Tenants.get();
        // long enough for every service's directory to get the token, and for the checks below, on a busy machine
        Instant expires = Instant.now().plusSeconds(20);
        Tenants.Member expiring = Tenants.token(t.devA.user(), "expiring", expires);
        Tenants.awaitAcceptedEverywhere(expiring.token(), Duration.ofSeconds(15));
        for (var service : SystemPlatform.get().apis().entrySet()) {
            assertTrue(Http.request("GET", service.getValue(), "/q/openapi").as(expiring.token(), null).send().status() != 401,
                    service.getKey() + " refused the token before it expired");
        }
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), expires).toMillis()));
        Map<String, Long> millis = refusedAfter(expiring.token(), expires);
        System.out.println("expired token refused after (ms): " + millis);
        millis.forEach((service, ms) -> assertTrue(ms <= 1000, service + " still took the expired token " + ms + " ms later"));
    }

    /** Per service, how long after {@code since} the token was first refused (polled every 10 ms, up to 5 s). */
    private static Map<String, Long> refusedAfter(String token, Instant since) {
        Map<String, CompletableFuture<Long>> polls = new TreeMap<>();
        SystemPlatform.get().apis().forEach((service, base) -> polls.put(service, CompletableFuture.supplyAsync(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                if (Http.request("GET", base, "/q/openapi").as(token, null).send().status() == 401) {
                    return Duration.between(since, Instant.now()).toMillis();
                }
                Tenants.sleep(10);
            }
            return Long.MAX_VALUE;
        })));
        Map<String, Long> result = new TreeMap<>();
        polls.forEach((service, poll) -> result.put(service, poll.join()));
        return result;
    }

    private static void report(List<String> failures, String what) {
        printTable();
        failures.forEach(f -> System.out.println("FAILED " + what + ": " + f));
        assertTrue(failures.isEmpty(), failures.size() + " failures (" + what + "):\n" + String.join("\n", failures));
    }

    private static void printTable() {
        StringBuilder table = new StringBuilder(String.format("%-12s", "service"));
        for (String c : COLUMNS) {
            table.append(String.format(" | %18s", c));
        }
        Set<String> services = new java.util.TreeSet<>(TABLE.keySet());
        int[] totals = new int[COLUMNS.length];
        for (String service : services) {
            table.append('\n').append(String.format("%-12s", service));
            for (int i = 0; i < COLUMNS.length; i++) {
                int n = TABLE.get(service).get(i);
                totals[i] += n;
                table.append(String.format(" | %18d", n));
            }
        }
        table.append('\n').append(String.format("%-12s", "total"));
        for (int n : totals) {
            table.append(String.format(" | %18d", n));
        }
        System.out.println("tenant isolation, checks so far:\n" + table);
    }
}

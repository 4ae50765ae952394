package io.berth.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.common.testing.TestAuth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The cast of the tenancy tests, made once per run through the services' own APIs: teams A and B
 * (identity service), A's developer, viewer and admin, B's developer and admin, each with a token,
 * and an app per team (created, released and rolled out by its developer through deploy), B's
 * with a marker in its env and in the first line it prints, and an autoscaling policy each.
 * Names start with "sys", so the platform's log collector and indexer handle their logs.
 */
final class Tenants {
    static final String ADMIN = TestAuth.ADMIN_TOKEN;

    record Member(String user, String token, String tokenId) {
    }

    final String run = UUID.randomUUID().toString().substring(0, 6);
    final String teamA = "systa-" + run;
    final String teamB = "systb-" + run;
    final String appA = "sysa-" + run;
    final String appB = "sysb-" + run;
    /** a plain env value and a log line of B's app: neither may reach team A */
    final String markerB = "bmark" + UUID.randomUUID().toString().replace("-", "");
    final String markerA = "amark" + UUID.randomUUID().toString().replace("-", "");
    final Instant createdAt = Instant.now();
    Member devA;
    Member viewerA;
    Member adminA;
    Member devB;
    Member adminB;
    List<String> instancesA = List.of();
    List<String> instancesB = List.of();

    private static Tenants made;

    static synchronized Tenants get() throws Exception {
        if (made == null) {
            Tenants t = new Tenants();
            t.make();
            made = t;
        }
        return made;
    }

    static String identity() {
        return SystemPlatform.get().apis().get("identity");
    }

    static String deploy() {
        return SystemPlatform.get().apis().get("deploy");
    }

    /** A change as the platform admin (journaled as "admin"), which must succeed. */
    static JsonNode admin(String service, String method, String target, String body) {
        return ok(Http.request(method, SystemPlatform.get().apis().get(service), target).as(ADMIN, "admin").service(service)
                .body(body).send(), method + " " + target);
    }

    static JsonNode as(Member member, String service, String method, String target, String body) {
        return ok(Http.request(method, SystemPlatform.get().apis().get(service), target).as(member.token(), member.user())
                .service(service).body(body).send(), member.user() + " " + method + " " + target);
    }

    static JsonNode ok(Http.Response answer, String what) {
        if (answer.status() >= 300) {
            throw new AssertionError(what + ": " + answer);
        }
        return answer.body().length == 0 ? Http.JSON.nullNode() : answer.json();
    }

    /** A user in a team with a role, and a new token of it. */
    Member member(String team, String user, String role) {
        admin("identity", "POST", "/api/teams/" + team + "/members", "{\"user\":\"" + user + "\",\"role\":\"" + role + "\"}");
        return token(user, "system-test", null);
    }

    static Member token(String user, String name, Instant expiresAt) {
        JsonNode created = admin("identity", "POST", "/api/users/" + user + "/tokens", "{\"name\":\"" + name + "\""
                + (expiresAt == null ? "" : ",\"expiresAt\":\"" + expiresAt + "\"") + "}");
        return new Member(user, created.path("token").asText(), created.path("id").asText());
    }

    private void make() throws Exception {
        admin("identity", "POST", "/api/teams", "{\"name\":\"" + teamA + "\"}");
        admin("identity", "POST", "/api/teams", "{\"name\":\"" + teamB + "\"}");
        devA = member(teamA, "dev-a-" + run, "developer");
        viewerA = member(teamA, "viewer-a-" + run, "viewer");
        adminA = member(teamA, "admin-a-" + run, "admin");
        devB = member(teamB, "dev-b-" + run, "developer");
        adminB = member(teamB, "admin-b-" + run, "admin");
        for (Member m : List.of(devA, viewerA, adminA, devB, adminB)) {
            awaitAcceptedEverywhere(m.token(), Duration.ofSeconds(10));
        }
        as(devA, "deploy", "POST", "/api/apps", "{\"name\":\"" + appA + "\"}");
        as(devB, "deploy", "POST", "/api/apps", "{\"name\":\"" + appB + "\"}");
        as(devA, "deploy", "POST", "/api/apps/" + appA + "/releases", release(markerA));
        as(devB, "deploy", "POST", "/api/apps/" + appB + "/releases", release(markerB));
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> awaitRollout(appA));
        awaitRollout(appB);
        a.join();
        String policy = "{\"minReplicas\":1,\"maxReplicas\":2,\"metrics\":[{\"metric\":\"requestsPerSecond\",\"target\":100000}]}";
        as(devA, "autoscaler", "PUT", "/api/apps/" + appA + "/autoscaling", policy);
        as(devB, "autoscaler", "PUT", "/api/apps/" + appB + "/autoscaling", policy);
        instancesA = instances(appA);
        instancesB = instances(appB);
        // B's first line must be searchable before A is shown not to find it
        awaitLogLine(appB, markerB, Duration.ofSeconds(90));
    }

    /** The sample (an artifact, mounted into its container), printing the marker first; the marker is also a plain env value. */
    static String release(String marker) {
        String command = "echo started " + marker + "; exec java " + SystemPlatform.SAMPLE_JVM_FLAGS + " -jar "
                + SystemPlatform.SAMPLE_ARTIFACT;
        return "{\"artifact\":\"" + SystemPlatform.SAMPLE_ARTIFACT + "\",\"command\":[\"sh\",\"-c\","
                + Http.JSON.valueToTree(command) + "],"
                + "\"env\":[{\"name\":\"MARKER\",\"value\":\"" + marker + "\"}],"
                + "\"health\":{\"type\":\"http\",\"path\":\"/health\"},\"replicas\":1}";
    }

    static void awaitRollout(String app) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Http.Response last = null;
        while (System.nanoTime() < deadline) {
            last = Http.request("GET", deploy(), "/api/apps/" + app + "/rollouts/current").as(ADMIN, null).send();
            if (last.status() == 200 && "COMPLETED".equals(last.json().path("state").asText())) {
                return;
            }
            if (last.status() == 200 && "FAILED".equals(last.json().path("state").asText())) {
                break;
            }
            sleep(200);
        }
        throw new AssertionError(app + "'s rollout did not complete: " + last);
    }

    static List<String> instances(String app) {
        List<String> ids = new ArrayList<>();
        for (JsonNode i : ok(Http.request("GET", deploy(), "/api/apps/" + app + "/instances").as(ADMIN, null).send(), "instances")) {
            ids.add(i.path("id").asText());
        }
        return ids;
    }

    static void awaitLogLine(String app, String words, Duration timeout) {
        String logs = SystemPlatform.get().apis().get("log-indexer");
        long deadline = System.nanoTime() + timeout.toNanos();
        Http.Response last = null;
        while (System.nanoTime() < deadline) {
            last = Http.request("GET", logs, "/api/logs/" + app + "?q=" + words).as(ADMIN, null).send();
            if (last.status() == 200 && last.json().path("lines").size() > 0) {
                return;
            }
            sleep(500);
        }
        throw new AssertionError("the line with " + words + " of " + app + " was not searchable within " + timeout + ": " + last);
    }

    /** Until every service takes the token (its directory has read it). */
    static void awaitAcceptedEverywhere(String token, Duration timeout) {
        for (var service : SystemPlatform.get().apis().entrySet()) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (Http.request("GET", service.getValue(), "/q/openapi").as(token, null).send().status() == 401) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(service.getKey() + " did not accept a new token within " + timeout);
                }
                sleep(20);
            }
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

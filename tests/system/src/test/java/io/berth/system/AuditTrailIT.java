package io.berth.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.common.testing.TestAuth;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 7, acceptance 5, and the audit's queries: every change the system tests of this run made
 * with a token (kept in {@link Http#JOURNAL}, and {@link Api}'s as the platform admin) is in the
 * identity service's audit with its actor, status and outcome; the audit filters by team, user,
 * app and time; a team admin reads only its team's entries, a developer nothing. It runs last
 * (failsafe's reverse alphabetical order), after the other tests' changes.
 */
@ExtendWith(SystemPlatform.class)
class AuditTrailIT {

    @Test
    void everyChangeOfTheRunIsAuditedWithItsActorAndOnlyAdminsReadIt() throws Exception {
        Tenants t = Tenants.get();
        Instant since = t.createdAt.minusSeconds(5);
        // a few changes of its own, so that it stands alone: allowed, refused to a viewer, hidden from another team
        Tenants.as(t.devA, "deploy", "POST", "/api/apps/" + t.appA + "/scale", "{\"replicas\":1}");
        Http.request("POST", Tenants.deploy(), "/api/apps/" + t.appA + "/scale").as(t.viewerA.token(), t.viewerA.user())
                .service("deploy").body("{\"replicas\":2}").send();
        Http.request("POST", Tenants.deploy(), "/api/apps/" + t.appB + "/scale").as(t.devA.token(), t.devA.user())
                .service("deploy").body("{\"replicas\":2}").audited(true, "denied").send();
        Http.request("PUT", SystemPlatform.get().apis().get("autoscaler"), "/api/apps/" + t.appB + "/autoscaling")
                .as(t.devA.token(), t.devA.user()).service("autoscaler").body("{}").audited(true, "denied").send();

        // the journal holds the changes of every IT of this run; the audit is read from `since` on (earlier ITs'
        // changes are there too, but they would match entries of this window by their shape and leave others unmatched)
        List<Http.Change> sinceThen = Http.journal().stream().filter(c -> !c.at().isBefore(since)).toList();
        List<Http.Change> expected = sinceThen.stream().filter(c -> Boolean.TRUE.equals(c.audited())).toList();
        List<Http.Change> maybe = sinceThen.stream().filter(c -> c.audited() == null).toList();
        List<Http.Change> missing = List.of();
        List<JsonNode> audit = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            audit = all(TestAuth.ADMIN_TOKEN, "from=" + since);
            missing = unmatched(expected, audit);
            if (missing.isEmpty()) {
                break;
            }
            Thread.sleep(1000);
        }
        List<Http.Change> maybeMissing = unmatched(maybe, audit);
        Map<String, Integer> byService = new LinkedHashMap<>();
        expected.forEach(c -> byService.merge(c.service(), 1, Integer::sum));
        System.out.printf("audit: %d entries since %s; %d changes expected (%s), %d missing; "
                        + "%d more that may not have reached an endpoint, %d of them audited%n",
                audit.size(), since, expected.size(), byService, missing.size(), maybe.size(), maybe.size() - maybeMissing.size());
        missing.stream().limit(40).forEach(c -> System.out.println("NOT AUDITED " + c));
        assertTrue(missing.isEmpty(), missing.size() + " changes are not in the audit, e.g. " + missing.stream().limit(10).toList());

        // filters, as the platform admin
        String window = "from=" + since;
        List<JsonNode> teamA = all(TestAuth.ADMIN_TOKEN, window + "&team=" + t.teamA);
        assertFalse(teamA.isEmpty());
        teamA.forEach(e -> assertEquals(t.teamA, e.path("team").asText(), e.toString()));
        List<JsonNode> devA = all(TestAuth.ADMIN_TOKEN, window + "&user=" + t.devA.user());
        assertEquals(audit.stream().filter(e -> e.path("actor").asText().equals(t.devA.user())).count(), devA.size());
        devA.forEach(e -> assertEquals(t.devA.user(), e.path("actor").asText(), e.toString()));
        List<JsonNode> appA = all(TestAuth.ADMIN_TOKEN, window + "&app=" + t.appA);
        assertFalse(appA.isEmpty());
        appA.forEach(e -> assertEquals(t.appA, e.path("app").asText(), e.toString()));
        Instant from = Instant.parse(audit.get(audit.size() / 2).path("at").asText()).truncatedTo(ChronoUnit.SECONDS);
        Instant to = from.plusSeconds(5);
        List<JsonNode> slice = all(TestAuth.ADMIN_TOKEN, "from=" + from + "&to=" + to);
        assertFalse(slice.isEmpty());
        slice.forEach(e -> {
            Instant at = Instant.parse(e.path("at").asText());
            assertTrue(!at.isBefore(from) && at.isBefore(to), e.toString());
        });
        assertEquals(audit.stream().filter(e -> {
            Instant at = Instant.parse(e.path("at").asText());
            return !at.isBefore(from) && at.isBefore(to);
        }).count(), slice.size(), "the time window holds what the full audit has in it");

        // a team admin reads its team's entries only, and not another team's; a developer or viewer nothing
        List<JsonNode> asAdminA = all(t.adminA.token(), window);
        assertFalse(asAdminA.isEmpty());
        asAdminA.forEach(e -> assertEquals(t.teamA, e.path("team").asText(), "a team admin saw " + e));
        assertEquals(403, get(t.adminA.token(), "/api/audit?team=" + t.teamB).status());
        // a viewer of its own: A's viewer may have been made an admin by a malformed request that was taken
        Tenants.Member viewer = t.member(t.teamA, "viewer2-" + t.run, "viewer");
        Tenants.awaitAcceptedEverywhere(viewer.token(), Duration.ofSeconds(10));
        for (Tenants.Member member : List.of(t.devA, viewer, t.devB)) {
            Http.Response answer = get(member.token(), "/api/audit");
            assertEquals(403, answer.status(), member.user() + ": " + answer);
            assertTrue(answer.isProblem(), answer.toString());
        }
    }

    static Http.Response get(String token, String target) {
        return Http.request("GET", Tenants.identity(), target).as(token, null).send();
    }

    /** Every entry the query finds, newest first, a page of 1000 at a time (each page ends where the last began). */
    static List<JsonNode> all(String token, String query) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        String to = null;
        while (true) {
            Http.Response page = get(token, "/api/audit?limit=1000&" + query + (to == null ? "" : "&to=" + to));
            assertEquals(200, page.status(), page.toString());
            int before = found.size();
            Instant oldest = null;
            for (JsonNode entry : page.json()) {
                found.putIfAbsent(entry.path("id").asText(), entry);
                oldest = Instant.parse(entry.path("at").asText());
            }
            if (page.json().size() < 1000 || found.size() == before) {
                return new ArrayList<>(found.values());
            }
            to = oldest.plus(1, ChronoUnit.MICROS).toString();
        }
    }

    /** The changes with no audit entry of the same service, actor, method, path, status and outcome (each entry used once). */
    static List<Http.Change> unmatched(List<Http.Change> changes, List<JsonNode> audit) {
        Map<String, Integer> entries = new HashMap<>();
        for (JsonNode e : audit) {
            String method = e.path("action").asText().split(" ")[0];
            entries.merge(String.join("|", service(e.path("service").asText()), e.path("actor").asText(), method,
                    e.path("path").asText(), e.path("status").asText(), e.path("outcome").asText()), 1, Integer::sum);
        }
        List<Http.Change> missing = new ArrayList<>();
        for (Http.Change c : changes) {
            String key = String.join("|", c.service(), c.actor(), c.method(), decodedPath(c.target()),
                    Integer.toString(c.status()), c.expectedOutcome());
            Integer n = entries.get(key);
            if (n == null || n == 0) {
                missing.add(c);
            } else {
                entries.put(key, n - 1);
            }
        }
        return missing;
    }

    /** "/berth/deploy" -> "deploy"; the gateway controller's source may be "/berth/gateway". */
    static String service(String source) {
        String s = source.substring(source.lastIndexOf('/') + 1);
        return s.startsWith("berth-") ? s.substring(6) : s;
    }

    static String decodedPath(String target) {
        String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] raw = path.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length) {
                try {
                    out.write(Integer.parseInt(new String(raw, i + 1, 2, StandardCharsets.US_ASCII), 16));
                    i += 2;
                    continue;
                } catch (NumberFormatException notAnEscape) {
                    // as it is
                }
            }
            out.write(raw[i]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}

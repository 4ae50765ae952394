package io.berth.identity;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.berth.identity.IdentityApi.member;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.identity.IdentityApi.Member;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Malformed bodies, names and parameters against every endpoint that changes something, and the
 * audit query: each is a 4xx problem, never a 500, and nothing changed. (A number where a text is
 * expected, {@code {"name":42}}, is read as the text "42" by the shared JSON configuration.)
 */
@QuarkusTest
class MalformedInputTest {
    private static final List<String> BODIES = List.of(
            "", "{", "[]", "null", "42", "\"text\"", "{\"name\":", "{\"name\":null}",
            "{\"name\":[\"a\"]}", "{\"name\":{}}", "{\"name\":\"" + "a".repeat(10_000) + "\"}",
            "{\"name\":\"../../etc/passwd\"}", "{\"name\":\"a\\u0000b\"}", "{\"name\":\"a\\r\\nX-Injected: 1\"}",
            "{\"name\":\"\\u001b[31mred\"}", "{\"user\":\"..\",\"role\":\"admin\"}", "{\"user\":\"a b\",\"role\":\"admin\"}",
            "{\"user\":\"x\",\"role\":\"ADMIN\"}", "{\"user\":\"x\",\"role\":null}", "{\"role\":\"owner\"}",
            "{\"role\":[\"admin\"]}", "{\"name\":\"t\",\"ttl\":\"-1d\"}", "{\"name\":\"t\",\"ttl\":\"PT99999999999999999H\"}",
            "{\"name\":\"t\",\"ttl\":\"9999999d\"}", "{\"name\":\"t\",\"ttl\":7}",
            "{\"name\":\"t\",\"expiresAt\":\"+999999999-12-31T23:59:59Z\"}", "{\"name\":\"t\",\"expiresAt\":12}",
            "{\"platformAdmin\":\"maybe\"}", "{\"platformAdmin\":null}", "{\"unknown\":true}",
            "\u00ff\u00fe binary", "{\"name\":\"" + "\\ud800" + "\"}");
    // not %2e%2e: dot segments are resolved (RFC 3986) before routing, so .../members/%2e%2e is the team itself
    private static final List<String> BAD_NAMES = List.of("UPPER", "a_b", "-a", "a-", "a%20b", "a%2fb", "a%00b",
            "a%0d%0ab", "x".repeat(80), "%E2%98%83");

    @Test
    void everyMalformedRequestIsAFourHundredProblemAndChangesNothing() {
        Member member = member("admin");
        String team = member.team();
        String user = member.user();
        String teamsBefore = asAdmin().get("/api/teams").asString();
        String membersBefore = asAdmin().get("/api/teams/" + team + "/members").asString();
        String tokensBefore = asAdmin().get("/api/users/" + user + "/tokens").asString();

        List<String[]> calls = new ArrayList<>();
        for (String body : BODIES) {
            calls.add(new String[] {"POST", "/api/teams", body});
            calls.add(new String[] {"POST", "/api/teams/" + team + "/members", body});
            calls.add(new String[] {"PUT", "/api/teams/" + team + "/members/" + user, body});
            calls.add(new String[] {"POST", "/api/users/" + user + "/tokens", body});
            calls.add(new String[] {"PUT", "/api/users/" + user, body});
        }
        for (String name : BAD_NAMES) {
            calls.add(new String[] {"DELETE", "/api/teams/" + name, null});
            calls.add(new String[] {"POST", "/api/teams/" + name + "/members", "{\"user\":\"x\",\"role\":\"viewer\"}"});
            calls.add(new String[] {"PUT", "/api/teams/" + team + "/members/" + name, "{\"role\":\"viewer\"}"});
            calls.add(new String[] {"DELETE", "/api/teams/" + team + "/members/" + name, null});
            calls.add(new String[] {"POST", "/api/users/" + name + "/tokens", "{\"name\":\"t\"}"});
            calls.add(new String[] {"DELETE", "/api/users/" + name, null});
            calls.add(new String[] {"DELETE", "/api/tokens/" + name, null});
            calls.add(new String[] {"GET", "/api/audit?team=" + name, null});
            calls.add(new String[] {"GET", "/api/audit?user=" + name + "&limit=" + name, null});
            calls.add(new String[] {"GET", "/api/audit?from=" + name, null});
        }
        List<String> wrong = new ArrayList<>();
        for (String[] call : calls) {
            // as the platform admin: every check up to the deepest is reached
            var spec = asAdmin().urlEncodingEnabled(false);
            if (call[2] != null) {
                spec = spec.contentType("application/json").body(call[2]);
            }
            Response response = spec.request(call[0], call[1]);
            int status = response.statusCode();
            if (status < 400 || status >= 500 || !String.valueOf(response.contentType()).startsWith("application/problem+json")) {
                wrong.add(call[0] + " " + call[1] + " " + call[2] + " -> " + status + " " + response.contentType());
            }
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + calls.size() + " were not a 4xx problem:\n"
                + String.join("\n", wrong));

        assertEquals(teamsBefore, asAdmin().get("/api/teams").asString());
        assertEquals(membersBefore, asAdmin().get("/api/teams/" + team + "/members").asString());
        assertEquals(tokensBefore, asAdmin().get("/api/users/" + user + "/tokens").asString());
    }
}

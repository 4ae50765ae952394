package io.berth.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.common.testing.TestAuth;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 7, acceptance 3: generated malformed requests (bad JSON, wrong types, overlong strings,
 * path traversal and DNS-unsafe names, control characters, header injection, huge bodies) against
 * every changing operation every service documents, each with a valid token of the team that owns
 * what it names (the platform admin for the platform's own operations): every answer a 4xx RFC 7807
 * problem, none a 5xx, nothing injected into the answer's headers, and the stored state the same
 * afterwards.
 */
@ExtendWith(SystemPlatform.class)
class MalformedRequestsIT {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** fields whose value is a name (of an app, team, user, role, instance, metric, variable, check type, token) */
    private static final Set<String> NAME_FIELDS = Set.of("name", "team", "user", "role", "app", "id", "metric", "type");
    /** fields whose value must be a DNS label (or one of a few words) */
    private static final Set<String> DNS_FIELDS = Set.of("team", "app", "id", "metric", "type", "role");
    /** bad for a DNS label, and for a user name too */
    static final List<String> NOT_DNS = List.of("UPPER", "-lead", "trail-", "a b", "..", " ", "x--", "1-");

    /** Bad values for a name, as they go into a path segment (encoded where a raw byte would break HTTP itself). */
    static final List<String> BAD_SEGMENTS = List.of("..", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "%2E%2E%2F%2E%2E%2Fetc",
            "..%5C..%5Cwindows", "..;", "a%2Fb", "UPPER", "-lead", "trail-", "a_b", "a%20b", "%00", "a%00b",
            "a%0D%0AX-Injected:%201", "%1B%5B31m", "%C3%A4pp", "x".repeat(300), "%FF%FE", "a.b", "%2A", "%25",
            "%7B%7D", "1%3B%20DROP%20TABLE%20app", "%22%3E%3Cscript%3E");

    /** Bad values for a name field of a JSON body. */
    /** Bad for any name the services take (an app, team, user, role, token's label, variable name). */
    static final List<String> BAD_NAMES = List.of("../../etc/passwd", "a/b", "a\\b", "", "\u0000", "a\u0000b",
            "a\r\nX-Injected: 1", "\u001b[31mred", "a\tb", "äpp", "x".repeat(300), "x".repeat(100_000), "*",
            "'; drop table app; --", "<script>", "\ud800");

    static final List<String> BAD_JSON = List.of("", "{", "}", "{\"name\"", "[1,2", "nul", "{'name':'x'}",
            "{\"name\":\"x\",}", "<xml/>", "\u0000\u0001", "{\"name\":\"x\"}{}", "\"just a string\"", "123", "[]", "null",
            "[".repeat(20_000) + "]".repeat(20_000), "{\"a\":" .repeat(5_000) + "1" + "}".repeat(5_000),
            "{\"name\":\"\\uZZZZ\"}", "{\"name\":\"x\" \"team\":\"y\"}");

    record Sent(String what, Http.Response answer) {
    }

    @Test
    void everyMalformedRequestGetsA4xxProblemAndChangesNothing() throws Exception {
        Tenants t = Tenants.get();
        Map<String, String> before = state(t);
        List<String> failures = new ArrayList<>();
        Map<String, int[]> perService = new TreeMap<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        String ghost = "ghost-" + t.run;
        int total = 0;
        for (OpenApi.Operation op : OpenApi.everything()) {
            if (!op.changes()) {
                continue;
            }
            Tenants.Member owner = owner(op, t);
            TenantIsolationIT.Target a = new TenantIsolationIT.Target(t.appA, t.teamA, userFor(op, t, ghost),
                    t.instancesA.isEmpty() ? "no-instance" : t.instancesA.get(0), t.viewerA.tokenId());
            List<Sent> sent = new ArrayList<>();
            Consumer<Http.Request> send = request -> {
                if (owner == null) {
                    request.as(TestAuth.ADMIN_TOKEN, "admin");
                } else {
                    request.as(owner.token(), owner.user());
                }
                sent.add(new Sent(request.method + " " + abbreviate(request.target) + " " + abbreviate(request.body),
                        request.service(op.service()).send()));
            };
            String validPath = TenantIsolationIT.path(op, a);
            String validBody = TenantIsolationIT.body(op, a, t.run);
            if (validBody != null) {
                for (String bad : BAD_JSON) {
                    if (op.template().endsWith("/rollback") && (bad.isEmpty() || bad.equals("null"))) {
                        continue; // its body is optional: none rolls back to the release before
                    }
                    send.accept(Http.request(op.method(), op.base(), validPath).body(bad));
                }
                JsonNode valid = Http.JSON.readTree(validBody);
                boolean nameIsDns = op.template().equals("/api/apps") || op.template().equals("/api/teams");
                for (JsonNode variant : fieldVariants(valid, nameIsDns)) {
                    send.accept(Http.request(op.method(), op.base(), validPath).body(variant.toString()));
                }
                // the whole body of the wrong type, an unknown field, a huge body, a wrong content type
                for (String wrong : List.of("[" + validBody + "]", "\"" + validBody.replace("\"", "\\\"") + "\"", "42", "true")) {
                    send.accept(Http.request(op.method(), op.base(), validPath).body(wrong));
                }
                ObjectNode unknown = ((ObjectNode) valid.deepCopy()).put("unknownField", "x");
                send.accept(Http.request(op.method(), op.base(), validPath).body(unknown.toString()));
                ObjectNode huge = ((ObjectNode) valid.deepCopy()).put("padding", "x".repeat(3 * 1024 * 1024));
                send.accept(Http.request(op.method(), op.base(), validPath).body(huge.toString()).audited(null, null));
                send.accept(Http.request(op.method(), op.base(), validPath)
                        .body("x".repeat(20 * 1024 * 1024).getBytes(StandardCharsets.US_ASCII), "application/json").audited(null, null));
                send.accept(Http.request(op.method(), op.base(), validPath)
                        .body(validBody.getBytes(StandardCharsets.UTF_8), "text/plain").audited(null, null));
                // header injection: the body's names carry CR LF above; here the headers themselves do
                for (String injected : List.of("k%0D%0AX-Injected: 1", "k\\r\\nX-Injected: 1", "k;X-Injected=1", "x".repeat(4000))) {
                    send.accept(Http.request(op.method(), op.base(), validPath).body("{").header("Idempotency-Key", injected)
                            .header("X-Forwarded-Host", "evil.example%0D%0AX-Injected: 1").audited(null, null));
                }
                String longNames = TenantIsolationIT.body(op,
                        new TenantIsolationIT.Target("x".repeat(64), "x".repeat(64), "x".repeat(80), "x".repeat(80), "x"), t.run);
                if (!longNames.equals(validBody)) {
                    send.accept(Http.request(op.method(), op.base(), validPath).body(longNames));
                }
            }
            // the path: each variable, and ?app=, with bad values; the rest valid
            for (String variable : variables(op)) {
                for (String bad : BAD_SEGMENTS) {
                    if (variable.equals("user") && (bad.equals("a.b") || bad.equals("a_b"))) {
                        continue; // a user may be called so
                    }
                    String path = variable.equals("?app") ? validPath.replace("app=" + t.appA, "app=" + bad)
                            : TenantIsolationIT.path(op, with(a, variable, bad)).replace("{" + variable + "}", bad);
                    if (variable.equals("version")) {
                        path = TenantIsolationIT.path(op, a).replace("/releases/1", "/releases/" + bad);
                    }
                    send.accept(Http.request(op.method(), op.base(), path).body(validBody).audited(null, null));
                }
            }
            // bad query values where the operation takes any
            for (String query : op.query()) {
                for (String bad : List.of("-1", "abc", "99999999999999999999", "%00", "1%0D%0AX-Injected:%201", "x".repeat(5000))) {
                    send.accept(Http.request(op.method(), op.base(), appendQuery(validPath.replaceAll("[?&]" + query + "=[^&]*", ""),
                            query + "=" + bad)).body(validBody).audited(null, null));
                }
            }
            for (Sent s : sent) {
                Http.Response answer = s.answer();
                total++;
                statuses.merge(answer.status(), 1, Integer::sum);
                int[] counts = perService.computeIfAbsent(op.service(), k -> new int[3]);
                counts[0]++;
                if (answer.status() < 400 || answer.status() >= 500) {
                    counts[1]++;
                    failures.add(op.service() + " " + s.what() + " -> " + answer);
                } else if (!answer.isProblem()) {
                    counts[2]++;
                    failures.add(op.service() + " not a problem: " + s.what() + " -> " + answer);
                }
                if (answer.headers().containsKey("x-injected")) {
                    failures.add(op.service() + " header injected: " + s.what() + " -> " + answer.headers());
                }
            }
        }
        Map<String, String> after = state(t);
        System.out.println("malformed requests: " + total + " sent; statuses " + statuses);
        perService.forEach((service, c) -> System.out.printf("  %-12s %5d sent, %4d not 4xx, %4d 4xx without a problem body%n",
                service, c[0], c[1], c[2]));
        failures.stream().limit(400).forEach(f -> System.out.println("FAILED malformed: " + f));
        List<String> changed = new ArrayList<>();
        before.forEach((view, json) -> {
            if (!json.equals(after.get(view))) {
                changed.add(view + "\n  before: " + json + "\n  after:  " + after.get(view));
            }
        });
        changed.forEach(c -> System.out.println("CHANGED " + c));
        assertTrue(total >= 1000, "only " + total + " malformed requests");
        assertTrue(changed.isEmpty(), "the stored state changed:\n" + String.join("\n", changed));
        assertEquals(List.of(), failures.stream().limit(50).toList(), failures.size() + " answers were not 4xx problems");
    }

    /**
     * Who sends an operation's requests: the platform admin (null) for what only it may do, A's admin
     * for A's members and tokens, A's developer for the rest.
     */
    static Tenants.Member owner(OpenApi.Operation op, Tenants t) {
        String key = op.method() + " " + op.template();
        if (op.service().equals("identity")) {
            if (key.equals("POST /api/teams") || key.equals("DELETE /api/teams/{team}") || op.template().equals("/api/users/{user}")) {
                return null;
            }
            return t.adminA;
        }
        return t.devA;
    }

    /** The user a call names: a user that does not exist for the platform admin's, A's viewer for the rest. */
    static String userFor(OpenApi.Operation op, Tenants t, String ghost) {
        return op.template().equals("/api/users/{user}") ? ghost : t.viewerA.user();
    }

    static List<String> variables(OpenApi.Operation op) {
        List<String> found = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(op.template());
        while (m.find()) {
            found.add(m.group(1));
        }
        if (op.query().contains("app")) {
            found.add("?app");
        }
        return found;
    }

    static TenantIsolationIT.Target with(TenantIsolationIT.Target a, String variable, String bad) {
        return switch (variable) {
            case "app" -> new TenantIsolationIT.Target(bad, a.team(), a.user(), a.instance(), a.tokenId());
            case "team" -> new TenantIsolationIT.Target(a.app(), bad, a.user(), a.instance(), a.tokenId());
            case "user" -> new TenantIsolationIT.Target(a.app(), a.team(), bad, a.instance(), a.tokenId());
            case "id" -> new TenantIsolationIT.Target(a.app(), a.team(), a.user(), bad, bad);
            default -> a;
        };
    }

    static String appendQuery(String path, String query) {
        return path + (path.contains("?") ? "&" : "?") + query;
    }

    /** Each leaf of the body, in turn, replaced by values of the wrong type, too long, or not a name. */
    static List<JsonNode> fieldVariants(JsonNode valid) {
        List<JsonNode> variants = new ArrayList<>();
        walk(valid, valid, new ArrayList<>(), variants, false);
        return variants;
    }

    /** The same, where a top-level "name" is an app's or team's (a DNS label). */
    static List<JsonNode> fieldVariants(JsonNode valid, boolean nameIsDns) {
        List<JsonNode> variants = new ArrayList<>();
        walk(valid, valid, new ArrayList<>(), variants, nameIsDns);
        return variants;
    }

    private static void walk(JsonNode root, JsonNode node, List<Object> path, List<JsonNode> out, boolean nameIsDns) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                List<Object> p = new ArrayList<>(path);
                p.add(e.getKey());
                walk(root, e.getValue(), p, out, nameIsDns);
            });
            return;
        }
        if (node.isArray()) {
            for (JsonNode replacement : List.<JsonNode>of(NODES.textNode("x"), NODES.numberNode(1), NODES.objectNode())) {
                out.add(replaced(root, path, replacement));
            }
            for (int i = 0; i < node.size(); i++) {
                List<Object> p = new ArrayList<>(path);
                p.add(i);
                walk(root, node.get(i), p, out, nameIsDns);
            }
            return;
        }
        String field = path.isEmpty() ? "" : String.valueOf(path.get(path.size() - 1));
        List<JsonNode> bad = new ArrayList<>(List.of(NODES.arrayNode(), NODES.objectNode()));
        if (node.isTextual()) {
            bad.add(NODES.numberNode(12345));
            if (NAME_FIELDS.contains(field)) {
                BAD_NAMES.forEach(n -> bad.add(NODES.textNode(n)));
                boolean topName = field.equals("name") && path.size() == 1 && nameIsDns;
                if (DNS_FIELDS.contains(field) || field.equals("user") || topName) {
                    NOT_DNS.forEach(n -> bad.add(NODES.textNode(n)));
                }
                if (DNS_FIELDS.contains(field) || topName) {
                    List.of("a_b", "a.b").forEach(n -> bad.add(NODES.textNode(n)));
                }
            } else {
                // free text (a command's words, a variable's value, a check's path): too long, or a NUL
                bad.add(NODES.textNode("x".repeat(100_000)));
                bad.add(NODES.textNode("a\u0000b"));
            }
        } else if (node.isNumber()) {
            bad.add(NODES.textNode("x"));
            bad.add(NODES.booleanNode(true));
            bad.add(NODES.numberNode(-1));
            bad.add(NODES.numberNode(new java.math.BigInteger("99999999999999999999")));
            bad.add(NODES.rawValueNode(new com.fasterxml.jackson.databind.util.RawValue("1e400")));
        } else if (node.isBoolean()) {
            bad.add(NODES.textNode("yes"));
            bad.add(NODES.textNode(""));
        }
        for (JsonNode b : bad) {
            out.add(replaced(root, path, b));
        }
    }

    private static JsonNode replaced(JsonNode root, List<Object> path, JsonNode value) {
        JsonNode copy = root.deepCopy();
        JsonNode parent = copy;
        for (int i = 0; i < path.size() - 1; i++) {
            Object step = path.get(i);
            parent = step instanceof Integer n ? parent.get(n) : parent.get((String) step);
        }
        Object last = path.get(path.size() - 1);
        if (last instanceof Integer n) {
            ((ArrayNode) parent).set(n, value);
        } else {
            ((ObjectNode) parent).set((String) last, value);
        }
        return copy;
    }

    private static String abbreviate(Object value) {
        String s = value instanceof byte[] b ? new String(b, 0, Math.min(b.length, 200), StandardCharsets.UTF_8)
                : String.valueOf(value);
        s = s.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
        return s.length() > 160 ? s.substring(0, 160) + "...(" + s.length() + ")" : s;
    }

    /** The GET views of what these requests could change, as the platform admin sees them. */
    static Map<String, String> state(Tenants t) {
        Map<String, String[]> views = new LinkedHashMap<>();
        views.put("deploy apps", new String[] {"deploy", "/api/apps?size=500"});
        for (String app : List.of(t.appA, t.appB)) {
            views.put("deploy " + app, new String[] {"deploy", "/api/apps/" + app});
            views.put("deploy " + app + " releases", new String[] {"deploy", "/api/apps/" + app + "/releases"});
            views.put("deploy " + app + " rollouts", new String[] {"deploy", "/api/apps/" + app + "/rollouts"});
            views.put("autoscaler " + app + " policy", new String[] {"autoscaler", "/api/apps/" + app + "/autoscaling"});
        }
        views.put("identity teams", new String[] {"identity", "/api/teams"});
        views.put("identity A members", new String[] {"identity", "/api/teams/" + t.teamA + "/members"});
        views.put("identity B members", new String[] {"identity", "/api/teams/" + t.teamB + "/members"});
        for (Tenants.Member m : List.of(t.devA, t.viewerA, t.adminA)) {
            views.put("identity " + m.user(), new String[] {"identity", "/api/users/" + m.user()});
            views.put("identity " + m.user() + " tokens", new String[] {"identity", "/api/users/" + m.user() + "/tokens"});
        }
        views.put("identity ghost user", new String[] {"identity", "/api/users/ghost-" + t.run});
        Map<String, String> state = new LinkedHashMap<>();
        views.forEach((name, v) -> {
            Http.Response answer = Http.request("GET", SystemPlatform.get().apis().get(v[0]), v[1]).as(TestAuth.ADMIN_TOKEN, null).send();
            state.put(name, answer.status() + " " + stable(answer));
        });
        // the agent's instances of A's app, by id (their state may move on)
        Http.Response instances = Http.request("GET", SystemPlatform.get().apis().get("agent"), "/api/instances?app=" + t.appA)
                .as(TestAuth.ADMIN_TOKEN, null).send();
        List<String> ids = new ArrayList<>();
        if (instances.status() == 200) {
            instances.json().forEach(i -> ids.add(i.path("id").asText()));
        }
        java.util.Collections.sort(ids);
        state.put("agent instances of A", instances.status() + " " + ids);
        return state;
    }

    /** The answer without what moves by itself (a token's last use). */
    private static String stable(Http.Response answer) {
        if (!answer.contentType().contains("json")) {
            return answer.text();
        }
        JsonNode json = answer.json();
        strip(json);
        return json.toString();
    }

    private static void strip(JsonNode node) {
        if (node.isObject()) {
            ((ObjectNode) node).remove(List.of("lastUsedAt", "lastUsed"));
        }
        node.forEach(MalformedRequestsIT::strip);
    }
}

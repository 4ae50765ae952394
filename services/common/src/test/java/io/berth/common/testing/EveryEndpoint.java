package io.berth.common.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Walks every operation a service documents in its OpenAPI and checks it refuses a call without
 * a token (and with a wrong one): a new endpoint is covered the day it is written.
 */
public final class EveryEndpoint {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private EveryEndpoint() {
    }

    public static void requiresAToken() {
        JsonPath openapi = TestAuth.asAdmin().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Object>> paths = openapi.getMap("paths");
        List<String> checked = new ArrayList<>();
        paths.forEach((path, operations) -> operations.keySet().stream().filter(METHODS::contains).forEach(method -> {
            String concrete = path.replaceAll("\\{[^}]+}", "x");
            int anonymous = given().contentType("application/json").body("{}").request(method, concrete).statusCode();
            int wrong = given().auth().oauth2("not-a-token").contentType("application/json").body("{}")
                    .request(method, concrete).statusCode();
            assertEquals(401, anonymous, method.toUpperCase() + " " + path + " without a token");
            assertEquals(401, wrong, method.toUpperCase() + " " + path + " with a wrong token");
            checked.add(method.toUpperCase() + " " + path);
        }));
        for (String management : List.of("/q/metrics", "/q/openapi")) {
            assertEquals(401, given().get(management).statusCode(), management);
        }
        assertEquals(200, given().get("/q/health/live").statusCode(), "health stays open");
    }

    /**
     * One operation the service documents: its method and path template, and whether it answers
     * with a stream (Server-Sent Events), which a test must not wait on when it is allowed.
     */
    public record Operation(String method, String template, boolean streams) {
        /** The path with {@code {app}} filled in and every other variable as {@code 1}. */
        public String path(String app) {
            return template.replace("{app}", app).replaceAll("\\{[^}]+}", "1");
        }

        public boolean changes() {
            return !method.equals("get");
        }

        @Override
        public String toString() {
            return method.toUpperCase() + " " + template;
        }
    }

    /** Every operation of the service's OpenAPI whose path template matches. */
    public static List<Operation> documented(Predicate<String> template) {
        JsonPath openapi = TestAuth.asAdmin().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Map<String, Map<String, Object>>> paths = openapi.getMap("paths");
        List<Operation> found = new ArrayList<>();
        paths.forEach((path, operations) -> {
            if (!template.test(path)) {
                return;
            }
            operations.forEach((method, operation) -> {
                if (METHODS.contains(method)) {
                    found.add(new Operation(method, path, String.valueOf(operation.get("responses")).contains("text/event-stream")));
                }
            });
        });
        return found;
    }

    /** Every operation with an {@code {app}} in its path. */
    public static List<Operation> appScoped() {
        return documented(path -> path.contains("{app}"));
    }
}

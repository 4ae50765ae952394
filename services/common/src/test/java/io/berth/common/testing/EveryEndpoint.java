package io.berth.common.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
}

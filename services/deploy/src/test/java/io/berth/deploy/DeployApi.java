package io.berth.deploy;

import static io.berth.common.testing.TestAuth.asAdmin;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/** The deployment API as the tests use it, whatever the runtime. */
public final class DeployApi {
    private DeployApi() {
    }

    public static String newApp() {
        return newApp("flow");
    }

    public static String newApp(String prefix) {
        String app = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", app, "team", "team-a")).post("/api/apps")
                .then().statusCode(201);
        return app;
    }

    public static int release(String app, Map<String, Object> spec) {
        return asAdmin().contentType(ContentType.JSON).body(spec).post("/api/apps/" + app + "/releases")
                .then().statusCode(201).extract().jsonPath().getInt("version");
    }

    public static JsonPath awaitJson(String path, Predicate<JsonPath> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            var response = asAdmin().get(path);
            if (response.statusCode() == 200) {
                last = response.jsonPath();
                if (condition.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " did not get there in " + timeout + "; last: " + (last == null ? "-" : last.prettify()));
    }

    public static JsonPath awaitRollout(String app, int toRelease, String state, Duration timeout) throws InterruptedException {
        return awaitJson("/api/apps/" + app + "/rollouts/current",
                j -> j.getInt("toRelease") == toRelease && state.equals(j.getString("state")), timeout);
    }
}

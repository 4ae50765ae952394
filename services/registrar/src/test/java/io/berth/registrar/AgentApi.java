package io.berth.registrar;

import static io.berth.common.testing.TestAuth.asAdmin;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The agent's instance API as the deploy service uses it: start the sample app, wait for READY, stop. */
final class AgentApi {
    static final Path HELLO_JAR = Path.of("../../samples/hello/target/hello.jar").toAbsolutePath().normalize();
    private final String url;

    AgentApi(String url) {
        this.url = url;
    }

    void startHello(String id, String app, int release) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("id", id);
        spec.put("app", app);
        spec.put("team", "team-r");
        spec.put("release", release);
        spec.put("command", List.of("java", "-Xmx32m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar",
                HELLO_JAR.toString()));
        spec.put("health", Map.of("type", "http", "path", "/health", "intervalMillis", 200, "timeoutMillis", 1000,
                "successThreshold", 1, "failureThreshold", 2, "initialDelayMillis", 0));
        spec.put("gracePeriodSeconds", 5);
        spec.put("labels", Map.of("berth.io/release", Integer.toString(release), "berth.io/team", "team-r"));
        asAdmin().baseUri(url).contentType(ContentType.JSON).body(spec).post("/api/instances").then().statusCode(201);
    }

    /** Graceful stop: Terminating at once, SIGTERM after {@code drainSeconds}. */
    void stop(String id, int drainSeconds) {
        asAdmin().baseUri(url).delete("/api/instances/" + id + "?drainSeconds=" + drainSeconds
                + "&gracePeriodSeconds=5").then().statusCode(202);
    }

    /** Waits until the agent reports the instance READY; returns its port. */
    int awaitReady(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath view = asAdmin().baseUri(url).get("/api/instances/" + id).jsonPath();
            if ("READY".equals(view.getString("state"))) {
                return view.getInt("port");
            }
            Thread.sleep(50);
        }
        throw new AssertionError(id + " not READY on the agent within 30 s");
    }
}

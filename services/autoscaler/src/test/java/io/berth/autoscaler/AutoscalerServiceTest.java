package io.berth.autoscaler;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Against the local PostgreSQL (database berth_test, schema autoscaler migrated by Flyway) and Kafka. */
@QuarkusTest
class AutoscalerServiceTest {

    static String newApp() {
        return "as-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Map<String, Object> policy() {
        Map<String, Object> p = new HashMap<>();
        p.put("minReplicas", 1);
        p.put("maxReplicas", 6);
        p.put("metrics", List.of(Map.of("metric", "requestsPerSecond", "target", 50)));
        return p;
    }

    static Map<String, Object> with(String key, Object value) {
        Map<String, Object> p = policy();
        p.put(key, value);
        return p;
    }

    @Test
    void readinessAsksPostgresAndKafka() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
    }

    @Test
    void aPolicyIsStoredWithItsDefaultsAndReplacedAsAWhole() {
        String app = newApp();
        asAdmin().get("/api/apps/" + app + "/autoscaling").then().statusCode(404);
        asAdmin().contentType(ContentType.JSON).body(policy()).put("/api/apps/" + app + "/autoscaling")
                .then().statusCode(201).body("behavior.scaleDownStabilizationSeconds", equalTo(60))
                .body("behavior.tolerance", equalTo(0.1f));
        asAdmin().contentType(ContentType.JSON).body(with("maxReplicas", 8)).put("/api/apps/" + app + "/autoscaling")
                .then().statusCode(200);
        asAdmin().get("/api/apps/" + app + "/autoscaling").then().statusCode(200)
                .body("maxReplicas", equalTo(8)).body("metrics[0].metric", equalTo("requestsPerSecond"));
        asAdmin().get("/api/apps/" + app + "/autoscaling/decisions").then().statusCode(200).body("size()", equalTo(0));
        asAdmin().delete("/api/apps/" + app + "/autoscaling").then().statusCode(204);
        asAdmin().get("/api/apps/" + app + "/autoscaling").then().statusCode(404);
    }

    @Test
    void everyConflictingOrMalformedPolicyIsRefusedNamingTheFieldAndNothingIsStored() {
        String app = newApp();
        refused(app, with("minReplicas", 7), "minReplicas");
        refused(app, with("maxReplicas", -1), "maxReplicas");
        refused(app, with("metrics", List.of(Map.of("metric", "bogus", "target", 1))), "metrics[0].metric");
        refused(app, with("metrics", List.of(Map.of("metric", "requestsPerSecond", "target", 0))), "metrics[0].target");
        refused(app, with("metrics", List.of(Map.of("metric", "requestsPerSecond", "target", 1e300))), "metrics[0].target");
        refused(app, with("metrics", List.of(Map.of("metric", "requestsPerSecond", "target", 5),
                Map.of("metric", "requestsPerSecond", "target", 9))), "metrics[1].metric");
        refused(app, with("metrics", List.of(Map.of("metric", "kafkaLag", "target", 100))), "metrics[0].group");
        refused(app, with("metrics", List.of(Map.of("metric", "cpuPercent", "target", 150))), "metrics[0].target");
        refused(app, with("singleton", true), "metrics");
        refused(app, with("schedules", List.of(Map.of("cron", "every day", "durationMinutes", 60, "minReplicas", 2))),
                "schedules[0].cron");
        refused(app, with("schedules", List.of(Map.of("cron", "0 9 * * *", "timeZone", "Mars/Olympus",
                "durationMinutes", 60, "minReplicas", 2))), "schedules[0].timeZone");
        refused(app, with("schedules", List.of(Map.of("cron", "0 9 * * *", "durationMinutes", 60, "minReplicas", 9))),
                "schedules[0].minReplicas");
        // 09:00-11:00 at least 4 and 10:00-10:30 at most 2 cannot both hold at 10:15
        refused(app, with("schedules", List.of(Map.of("cron", "0 9 * * *", "durationMinutes", 120, "minReplicas", 4),
                Map.of("cron", "0 10 * * *", "durationMinutes", 30, "minReplicas", 1, "maxReplicas", 2))), "schedules[1]");
        refused(app, with("behavior", Map.of("tolerance", 2)), "behavior.tolerance");
        refused(app, with("colour", "red"), "colour");
        asAdmin().get("/api/apps/" + app + "/autoscaling").then().statusCode(404);

        // the same two schedules apart from each other are fine
        asAdmin().contentType(ContentType.JSON).body(with("schedules", List.of(
                        Map.of("cron", "0 9 * * *", "durationMinutes", 60, "minReplicas", 4),
                        Map.of("cron", "0 10 * * *", "durationMinutes", 30, "minReplicas", 1, "maxReplicas", 2))))
                .put("/api/apps/" + app + "/autoscaling").then().statusCode(201);
    }

    static void refused(String app, Map<String, Object> policy, String field) {
        asAdmin().contentType(ContentType.JSON).body(policy).put("/api/apps/" + app + "/autoscaling")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field)).body("detail", containsString(field));
    }

    @Test
    void everyEndpointButHealthRefusesACallWithoutTheToken() {
        io.berth.common.testing.EveryEndpoint.requiresAToken();
    }
}

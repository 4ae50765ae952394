package io.berth.deploy;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.KafkaEvents;
import io.berth.events.Topics;
import io.berth.events.CloudEvent;
import io.berth.events.deployment.AppCreated;
import io.berth.events.deployment.Scaled;
import io.berth.events.scaling.ScaleDecided;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DeployServiceTest {

    private static String uniqueApp() {
        return "smoke-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void readinessChecksPostgresAndKafka() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
    }

    @Test
    void testsNeverOpenThePlatformsOwnDatabase() {
        // BERTH_POSTGRES_DATABASE=berth is in the environment bin/berth-dev test gives the suite
        assertEquals("berth_test", org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("berth.postgres.db-name", String.class));
    }

    @Test
    void createdAppIsStoredAndAnnouncedOnKafka() {
        String app = uniqueApp();
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + app + "\",\"team\":\"team-a\"}")
                .post("/api/apps").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/apps/" + app));

        asAdmin().get("/api/apps/" + app).then().statusCode(200)
                .body("name", equalTo(app)).body("team", equalTo("team-a"));
        asAdmin().get("/api/apps").then().statusCode(200).body("name", hasItem(app));

        var record = KafkaEvents.await(Topics.DEPLOYMENTS, e -> app.equals(e.subject()), Duration.ofSeconds(20))
                .orElseThrow(() -> new AssertionError("no event for " + app + " on " + Topics.DEPLOYMENTS));
        assertEquals(app, record.key());
        assertEquals(new AppCreated(app, "team-a"), record.value().data());
    }

    @Test
    void aRepeatedPostWithTheSameIdempotencyKeyIsDoneOnce() {
        String app = uniqueApp();
        String key = "create-" + app;
        String first = asAdmin().header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"name\":\"" + app + "\"}").post("/api/apps")
                .then().statusCode(201).extract().asString();
        asAdmin().header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"name\":\"" + app + "\"}").post("/api/apps")
                .then().statusCode(201).header("Idempotent-Replayed", "true")
                .header("Location", org.hamcrest.Matchers.endsWith("/api/apps/" + app))
                .body(equalTo(first));
        asAdmin().header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"name\":\"" + app + "-other\"}").post("/api/apps")
                .then().statusCode(422).contentType("application/problem+json");
        asAdmin().get("/api/apps/" + app + "-other").then().statusCode(404);
        // without a key the same request is a new one, and the app exists once already
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + app + "\"}").post("/api/apps")
                .then().statusCode(409);
    }

    @Test
    void duplicateAppIsAConflict() {
        String app = uniqueApp();
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + app + "\"}").post("/api/apps")
                .then().statusCode(201).body("team", equalTo("default"));
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + app + "\"}").post("/api/apps")
                .then().statusCode(409).contentType("application/problem+json").body("status", equalTo(409));
    }

    @Test
    void badInputIsAProblemNamingTheFieldAndStoresNothing() {
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"Not_DNS\"}").post("/api/apps")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("name"));
        asAdmin().get("/api/apps/Not_DNS").then().statusCode(404).contentType("application/problem+json");

        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"fine\",\"colour\":\"red\"}").post("/api/apps")
                .then().statusCode(400).body("errors[0].field", equalTo("colour"));
        asAdmin().get("/api/apps/fine").then().statusCode(404);

        asAdmin().contentType(ContentType.JSON).body("{\"name\":").post("/api/apps")
                .then().statusCode(400).contentType("application/problem+json");
        asAdmin().contentType(ContentType.JSON).body("{}").post("/api/apps")
                .then().statusCode(400).body("errors[0].field", equalTo("name"));
    }

    @Test
    void anAutoscalerDecisionIsAppliedOnceAndOnlyWhileItIsCurrent() throws Exception {
        String app = uniqueApp();
        asAdmin().contentType(ContentType.JSON).body("{\"name\":\"" + app + "\"}").post("/api/apps").then().statusCode(201);
        String decision = UUID.randomUUID().toString();
        var scaleUp = new ScaleDecided(app, decision, 0, 2, "requests 240/s above 100/s per instance");
        String longReason = "x".repeat(500);
        KafkaEvents.publish(Topics.SCALING, CloudEvent.of("/berth/autoscaler", scaleUp));
        DeployApi.awaitJson("/api/apps/" + app, j -> j.getInt("replicas") == 2, Duration.ofSeconds(20));
        asAdmin().get("/api/apps/" + app + "/history").then().statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].summary", equalTo("scaled from 0 to 2: requests 240/s above 100/s per instance (decision "
                        + decision + ")"))
                .body("[0].actor", equalTo("autoscaler"));
        assertTrue(KafkaEvents.await(Topics.DEPLOYMENTS, e -> e.data() instanceof Scaled s && s.app().equals(app)
                && s.toReplicas() == 2 && s.cause().startsWith("autoscaler: "), Duration.ofSeconds(20)).isPresent());

        // the same decision again, then one made from a count the app no longer has: neither applies
        KafkaEvents.publish(Topics.SCALING, CloudEvent.of("/berth/autoscaler", scaleUp));
        KafkaEvents.publish(Topics.SCALING, CloudEvent.of("/berth/autoscaler",
                new ScaleDecided(app, UUID.randomUUID().toString(), 5, 1, "stale")));
        // a later decision from the current count proves the two before it were consumed
        KafkaEvents.publish(Topics.SCALING, CloudEvent.of("/berth/autoscaler",
                new ScaleDecided(app, UUID.randomUUID().toString(), 2, 3, "requests 330/s " + longReason)));
        DeployApi.awaitJson("/api/apps/" + app, j -> j.getInt("replicas") == 3, Duration.ofSeconds(20));
        asAdmin().get("/api/apps/" + app + "/history").then().statusCode(200)
                .body("summary", org.hamcrest.Matchers.contains(org.hamcrest.Matchers.startsWith("scaled from 2 to 3: "),
                        org.hamcrest.Matchers.startsWith("scaled from 0 to 2: ")));
    }

    @Test
    void everythingButHealthNeedsTheToken() {
        for (String path : new String[] {"/api/apps", "/api/apps/x", "/q/metrics", "/q/openapi"}) {
            given().get(path).then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
            given().auth().oauth2("wrong-token").get(path).then().statusCode(401);
        }
        given().contentType(ContentType.JSON).body("{\"name\":\"nope\"}").post("/api/apps").then().statusCode(401);
        asAdmin().get("/q/metrics").then().statusCode(200);
        asAdmin().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void everyEndpointButHealthRefusesACallWithoutTheToken() {
        io.berth.common.testing.EveryEndpoint.requiresAToken();
    }
}

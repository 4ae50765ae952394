package io.berth.console;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.berth.common.testing.Directory;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConsoleServiceTest {

    @Test
    void readyOnceKafkaAnswersAndTheReadModelsHaveCaughtUp() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (given().get("/q/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'console read models' }.status", equalTo("UP"));
    }

    @Test
    void theWebAppIsPublicAndTheApiIsNot() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"));
        given().get("/index.html").then().statusCode(200).contentType(containsString("text/html"));
        given().get("/favicon.svg").then().statusCode(200);
        // public, so a missing asset is a plain 404, not a 401
        given().get("/assets/no-such-file.js").then().statusCode(404);
        given().get("/api/console/overview").then().statusCode(401);
        given().get("/api/console/platform").then().statusCode(401);
        given().get("/q/openapi").then().statusCode(401);
        given().get("/somewhere-else").then().statusCode(401);
    }

    @Test
    void thePlatformPageListsEveryServiceForThePlatformAdminOnly() throws InterruptedException {
        // no platform service runs on the test profile's closed port: each shows as not ready
        asAdmin().get("/api/console/platform").then().statusCode(200)
                .body("name", hasItems("deploy", "registrar", "autoscaler", "log-indexer", "agent", "gateway",
                        "log-collector", "identity"))
                .body("find { it.name == 'identity' }.ready", equalTo(false))
                .body("find { it.name == 'identity' }.detail", equalTo("unreachable"))
                .body("find { it.name == 'identity' }.url", equalTo("http://127.0.0.1:9"));
        String member = Directory.memberToken("platform-page-" + System.nanoTime(), Map.of("some-team", "admin"));
        try {
            Directory.awaitAccepted(member, java.time.Duration.ofSeconds(10));
            Directory.as(member).get("/api/console/platform").then().statusCode(403)
                    .contentType("application/problem+json");
        } finally {
            Directory.revoke(member);
        }
    }

    @Test
    void everyEndpointButHealthRefusesACallWithoutTheToken() {
        io.berth.common.testing.EveryEndpoint.requiresAToken();
    }
}

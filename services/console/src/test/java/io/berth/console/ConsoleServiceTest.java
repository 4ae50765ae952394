package io.berth.console;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConsoleServiceTest {

    @Test
    void readinessAsksKafka() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
    }

    @Test
    void frontPageListsThePlatformServicesForTheAdminOnly() {
        // the test runs with no platform service started on the configured ports, so each shows as down
        asAdmin().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<td>deploy</td>"))
                .body(containsString("<td>log-collector</td>"))
                .body(containsString("down (unreachable)"));
        given().get("/").then().statusCode(401);
    }

    @Test
    void everyEndpointButHealthRefusesACallWithoutTheToken() {
        io.berth.common.testing.EveryEndpoint.requiresAToken();
    }
}

package io.berth.gateway;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.berth.gateway.it.HaproxyTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Against the tests' own HAProxy (master-worker, admin socket), see HaproxyTestResource. */
@QuarkusTest
@QuarkusTestResource(HaproxyTestResource.class)
class GatewayServiceTest {

    @Test
    void readyWhileHaproxyAnswersOnItsAdminSocket() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'HAProxy runtime API' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
    }

    @Test
    void reportsWhatHaproxySaysAboutItself() {
        asAdmin().get("/api/gateway/haproxy").then().statusCode(200)
                .body("Version", startsWith("2."))
                .body("Name", equalTo("HAProxy"));
        given().get("/api/gateway/haproxy").then().statusCode(401);
    }

    @Test
    void everyEndpointButHealthRefusesACallWithoutTheToken() {
        io.berth.common.testing.EveryEndpoint.requiresAToken();
    }
}

package io.berth.agent;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AgentServiceTest {

    @Test
    void readinessAsksKafkaAndTheDataDirectory() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'agent data directory' }.status", equalTo("UP"));
    }

    @Test
    void describesTheNode() {
        asAdmin().get("/api/node").then().statusCode(200)
                .body("cpus", greaterThan(0))
                .body("portRangeStart", equalTo(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                        .getValue("berth.agent.port-range-start", Integer.class)));
        given().get("/api/node").then().statusCode(401);
    }

    @Test
    void everyEndpointButHealthRefusesACallWithoutTheToken() {
        io.berth.common.testing.EveryEndpoint.requiresAToken();
    }
}

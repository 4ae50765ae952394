package io.berth.common.directory;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A service whose tests have no Kafka: directories and audit off, the admin token still works, readiness is UP. */
@QuarkusTest
@TestProfile(DirectoriesOffTest.NoKafka.class)
class DirectoriesOffTest {

    public static class NoKafka implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.directory.enabled", "false", "berth.audit.enabled", "false",
                    // nothing listens here: any attempt to reach Kafka would fail or hang
                    "kafka.bootstrap.servers", "127.0.0.1:9");
        }
    }

    @Test
    void readyAndTheAdminTokenWorks() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name.startsWith('Berth directories') }.data.enabled", equalTo(false));
        asAdmin().get("/api/apps/anything").then().statusCode(200);
        asAdmin().post("/api/apps/anything/actions").then().statusCode(200);
        given().auth().oauth2("berth_not-a-member").get("/api/apps/anything").then().statusCode(401);
    }
}

package io.berth.autoscaler;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Against the local PostgreSQL (database berth_test, schema autoscaler migrated by Flyway) and Kafka. */
@QuarkusTest
class AutoscalerServiceTest {

    @Inject
    Pool postgres;

    @Test
    void readinessAsksPostgresAndKafka() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Reactive PostgreSQL connections health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
    }

    @Test
    void aPolicyRowInPostgresIsServedByTheApi() {
        String app = "smoke-" + UUID.randomUUID().toString().substring(0, 8);
        asAdmin().get("/api/apps/" + app + "/autoscaling/policies").then().statusCode(200).body("$", hasSize(0));

        postgres.preparedQuery("INSERT INTO autoscaler.policy (app, metric, target, min_replicas, max_replicas) "
                + "VALUES ($1, 'rps', 50, 1, 6)").execute(Tuple.of(app)).await().indefinitely();

        asAdmin().get("/api/apps/" + app + "/autoscaling/policies").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].metric", equalTo("rps")).body("[0].maxReplicas", equalTo(6));
        given().get("/api/apps/" + app + "/autoscaling/policies").then().statusCode(401);
    }

    @Test
    void everyEndpointButHealthRefusesACallWithoutTheToken() {
        io.berth.common.testing.EveryEndpoint.requiresAToken();
    }
}

package io.berth.logcollector;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.testing.KafkaEvents;
import io.berth.events.Topics;
import io.berth.events.log.LogLine;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Against the Kafka broker that bin/berth-dev runs. */
@QuarkusTest
class LogCollectorServiceTest {

    @Inject
    LogPublisher publisher;

    @Test
    void readinessAsksKafka() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
    }

    @Test
    void aLineLandsOnItsAppsOwnTopicKeyedByInstance() {
        String app = "smoke-" + UUID.randomUUID().toString().substring(0, 8);
        LogLine line = new LogLine(app, "team-a", app + "-v1-0", 1, Instant.now(), "stdout", "INFO",
                "hello from " + app, Map.of());
        publisher.publish(line).await().atMost(Duration.ofSeconds(30));

        var record = KafkaEvents.await(Topics.logs(app), e -> true, Duration.ofSeconds(20))
                .orElseThrow(() -> new AssertionError("nothing on " + Topics.logs(app)));
        assertEquals(app + "-v1-0", record.key());
        assertEquals(line, record.value().data());
    }

    @Test
    void everyEndpointButHealthRefusesACallWithoutTheToken() {
        io.berth.common.testing.EveryEndpoint.requiresAToken();
    }
}

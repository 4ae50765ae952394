package io.berth.autoscaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.autoscaler.engine.KafkaLag;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The kafkaLag metric against the real broker: what a group has yet to read of a topic. */
@QuarkusTest
class KafkaLagTest {
    @Inject
    KafkaLag lag;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theLagIsWhatTheGroupHasNotCommittedYet() throws Exception {
        String topic = "berth-test-lag-" + UUID.randomUUID().toString().substring(0, 8);
        String group = "berth-test-lag-group-" + UUID.randomUUID().toString().substring(0, 8);
        try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all().get();
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap),
                    new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 30; i++) {
                    producer.send(new ProducerRecord<>(topic, "k", "message " + i)).get();
                }
            }
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "group.id", group),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(12)));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            long seen = -1;
            while (System.nanoTime() < deadline && seen != 18) {
                seen = lag.of(group, topic).orElse(-1L);
                Thread.sleep(100);
            }
            assertEquals(18, seen);
            assertTrue(lag.of(group, "berth-test-no-such-topic-" + UUID.randomUUID()).isEmpty(),
                    "an unreadable topic is a missing metric, not a lag of 0");
            admin.deleteTopics(List.of(topic)).all().get();
        }
    }
}

package io.berth.autoscaler.engine;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The lag of a consumer group on a topic (end offsets minus committed offsets, summed over the
 * partitions), read with Kafka's admin client. Blocking: call it off the event loop.
 */
@ApplicationScoped
public class KafkaLag {
    private final AdminClient admin;

    @Inject
    KafkaLag(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.admin = AdminClient.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 5000,
                "default.api.timeout.ms", 5000));
    }

    /** Empty when the group or topic cannot be read now: a missing metric, which never scales down. */
    public Optional<Long> of(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic)
                    .partitions().forEach(p -> ends.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> latest = admin.listOffsets(ends).all()
                    .get(5, TimeUnit.SECONDS);
            long lag = 0;
            for (var e : latest.entrySet()) {
                OffsetAndMetadata at = committed.get(e.getKey());
                lag += Math.max(0, e.getValue().offset() - (at == null ? 0 : at.offset()));
            }
            return Optional.of(lag);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}

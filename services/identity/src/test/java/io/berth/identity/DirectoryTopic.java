package io.berth.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.events.EventCodec;
import io.berth.events.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads berth.identity with a plain consumer, as any service's directory would: the records of
 * one key (a token's SHA-256 hex), values as JSON, a tombstone as an empty Optional.
 */
final class DirectoryTopic {
    private DirectoryTopic() {
    }

    /** One record of the key: its value, or empty for a tombstone. */
    record Entry(Optional<JsonNode> value) {
        boolean tombstone() {
            return value.isEmpty();
        }
    }

    /**
     * The first record under {@code key} written in the last ten minutes that matches, or empty
     * after {@code timeout}. Reading starts at the time the lookback allows, so an answer the
     * service gave before this call is found.
     */
    static Optional<Entry> await(String key, Predicate<Entry> match, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ConsumerConfig.GROUP_ID_CONFIG, "berth-identity-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.IDENTITY, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(Topics.IDENTITY, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> times = new HashMap<>();
            long since = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
            partitions.forEach(p -> times.put(p, since));
            consumer.offsetsForTimes(times).forEach((partition, found) ->
                    consumer.seek(partition, found == null ? ends.get(partition) : found.offset()));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (key.equals(record.key())) {
                        Entry entry = new Entry(Optional.ofNullable(record.value()).map(DirectoryTopic::json));
                        if (match.test(entry)) {
                            return Optional.of(entry);
                        }
                    }
                }
            }
            return Optional.empty();
        }
    }

    private static JsonNode json(byte[] value) {
        try {
            return EventCodec.mapper().readTree(value);
        } catch (IOException e) {
            throw new AssertionError("a directory record that is not JSON: " + e.getMessage(), e);
        }
    }
}

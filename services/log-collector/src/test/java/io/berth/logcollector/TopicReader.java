package io.berth.logcollector;

import io.berth.events.CloudEvent;
import io.berth.events.kafka.CloudEventDeserializer;
import io.berth.events.log.LogLine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a log topic from its start, as the indexer would, to count what the collector shipped. */
final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, CloudEvent> consumer;
    private final List<ConsumerRecord<String, CloudEvent>> records = new ArrayList<>();

    TopicReader(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "berth-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000),
                new StringDeserializer(), new CloudEventDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Reads until {@code done} holds for everything read so far, or the timeout; returns all lines read. */
    List<ConsumerRecord<String, CloudEvent>> readUntil(Predicate<List<ConsumerRecord<String, CloudEvent>>> done,
            Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(records) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    /** Reads until {@code count} records arrived, then a little longer to catch any extra. */
    List<LogLine> lines(int count, Duration timeout) {
        readUntil(r -> r.size() >= count, timeout);
        long quiet = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < quiet) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records.stream().map(r -> (LogLine) r.value().data()).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}

package io.berth.common.testing;

import io.berth.events.CloudEvent;
import io.berth.events.kafka.CloudEventDeserializer;
import io.berth.events.kafka.CloudEventSerializer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/** Reads a topic of the real broker the way another service would, to check what a service published. */
public final class KafkaEvents {
    private KafkaEvents() {
    }

    /** Publishes as another service would (keyed by app), and returns once the broker has it. */
    public static void publish(String topic, CloudEvent event) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<>(config, new StringSerializer(), new CloudEventSerializer())) {
            producer.send(new ProducerRecord<>(topic, event.subject(), event)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not publish to " + topic, e.getCause());
        }
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    /** How far back {@link #await} looks: events of this test run, not of every run the broker has kept. */
    static final Duration LOOKBACK = Duration.ofMinutes(10);

    /**
     * The first event on {@code topic} published in the last {@link #LOOKBACK} (or later) that
     * matches, or empty after {@code timeout}. It seeks by time, so a topic that has grown over
     * many runs is not read from its start.
     */
    public static Optional<ConsumerRecord<String, CloudEvent>> await(String topic, Predicate<CloudEvent> match,
            Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "berth-test-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new CloudEventDeserializer())) {
            assignFrom(consumer, topic, java.time.Instant.now().minus(LOOKBACK), deadline);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, CloudEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null && match.test(record.value())) {
                        return Optional.of(record);
                    }
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Assigns every partition of {@code topic} to {@code consumer}, each at its first record
     * published at {@code since} or later, so a topic that has grown over many runs is not read
     * from its start. Waits for the topic's partitions until {@code deadline} (System.nanoTime()).
     */
    public static void assignFrom(KafkaConsumer<?, ?> consumer, String topic, java.time.Instant since, long deadline) {
        List<TopicPartition> partitions = List.of();
        while (partitions.isEmpty() && System.nanoTime() < deadline) {
            partitions = consumer.partitionsFor(topic, Duration.ofSeconds(2)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
        }
        consumer.assign(partitions);
        // the ends first: whatever is published after this is at or past them, and whatever
        // was published before is found by time below; no event falls between the two
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> times = new java.util.HashMap<>();
        partitions.forEach(p -> times.put(p, since.toEpochMilli()));
        consumer.offsetsForTimes(times).forEach((partition, found) ->
                consumer.seek(partition, found == null ? ends.get(partition) : Math.min(found.offset(), ends.get(partition))));
    }
}

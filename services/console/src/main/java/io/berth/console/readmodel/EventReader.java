package io.berth.console.readmodel;

import io.berth.common.kafka.TopicPartitions;
import io.berth.console.ConsoleConfig;
import io.berth.events.CloudEvent;
import io.berth.events.EventCodec;
import io.berth.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Feeds {@link ReadModels} from Kafka on a thread of its own: {@code berth.deployments},
 * {@code berth.instances} and {@code berth.scaling} from their start, {@code berth.metrics} from
 * {@link MetricSeries#KEPT} back (found by time), so a restarted console shows the same overview and
 * charts. A plain consumer with no group: every console needs every partition, and keeps no offsets.
 * After an error it forgets the views and reads again from the same starting points, so no event is
 * counted twice.
 */
@ApplicationScoped
public class EventReader {
    private static final Logger LOG = Logger.getLogger(EventReader.class);
    static final List<String> FROM_THE_START = List.of(Topics.DEPLOYMENTS, Topics.INSTANCES, Topics.SCALING);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final ReadModels models;
    private final DeploySnapshot snapshot;
    private final ConsoleConfig config;
    private final String bootstrapServers;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread reader;

    EventReader(ReadModels models, DeploySnapshot snapshot, ConsoleConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.models = models;
        this.snapshot = snapshot;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent startup) {
        if (!config.readModel().enabled()) {
            LOG.info("read models off (berth.console.read-model.enabled=false): no Kafka consumer");
            return;
        }
        running = true;
        reader = new Thread(this::readForever, "berth-console-events");
        reader.setDaemon(true);
        reader.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        snapshot.stop();
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (reader != null) {
            try {
                reader.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readForever() {
        while (running) {
            try {
                models.clear();
                read();
            } catch (WakeupException stopping) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warnf("read models: %s; reading the topics again in %d s", e, RETRY.toSeconds());
                sleep(RETRY);
            }
        }
    }

    private void read() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "berth-console-read-models");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            List<TopicPartition> partitions = new ArrayList<>();
            List<TopicPartition> metrics = new ArrayList<>();
            for (String topic : FROM_THE_START) {
                partitions.addAll(TopicPartitions.await(kafka, topic, () -> running, RETRY, LOG, "read models"));
            }
            metrics.addAll(TopicPartitions.await(kafka, Topics.METRICS, () -> running, RETRY, LOG, "read models"));
            List<TopicPartition> all = new ArrayList<>(partitions);
            all.addAll(metrics);
            kafka.assign(all);
            kafka.seekToBeginning(partitions);
            seekBack(kafka, metrics, Instant.now().minus(MetricSeries.KEPT));
            Map<TopicPartition, Long> ends = kafka.endOffsets(all);
            boolean caughtUp = false;
            while (running) {
                for (ConsumerRecord<String, byte[]> record : kafka.poll(POLL)) {
                    apply(record);
                }
                if (!caughtUp && TopicPartitions.reached(kafka, ends)) {
                    caughtUp = true;
                    models.caughtUp(true);
                    LOG.infof("read models caught up: %d apps", models.apps().size());
                    snapshot.startFillingIn();
                }
            }
        } finally {
            consumer = null;
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        CloudEvent event;
        try {
            event = EventCodec.fromBytes(record.value());
        } catch (RuntimeException unreadable) {
            LOG.debugf("read models: skipped an unreadable record at %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), unreadable.getMessage());
            return;
        }
        try {
            models.apply(event);
        } catch (RuntimeException e) {
            // one odd event must not stop the views: it is skipped, and said so
            LOG.warnf("read models: event %s (%s) at %s-%d@%d not applied: %s", event.id(), event.type(),
                    record.topic(), record.partition(), record.offset(), e);
        }
    }

    private static void seekBack(KafkaConsumer<String, byte[]> kafka, List<TopicPartition> partitions, Instant since) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, since.toEpochMilli()));
        Map<TopicPartition, Long> ends = kafka.endOffsets(partitions);
        Map<TopicPartition, OffsetAndTimestamp> found = kafka.offsetsForTimes(times);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = found.get(partition);
            // no record that recent: start at the end, where the next one will be
            kafka.seek(partition, at == null ? ends.get(partition) : at.offset());
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

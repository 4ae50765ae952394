package io.berth.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * What the services' own group-less readers of whole topics (the directories, the console's read
 * models) share: waiting for a topic to exist, and telling whether the reader has reached the ends
 * it saw at start.
 */
public final class TopicPartitions {
    private TopicPartitions() {
    }

    /**
     * Every partition of {@code topic}, once it exists: a reader may start before the topic is
     * created. Waits {@code retry} between looks while {@code running}; stops with a
     * {@link WakeupException} when it no longer is.
     */
    public static List<TopicPartition> await(Consumer<?, ?> kafka, String topic, BooleanSupplier running, Duration retry,
            Logger log, String reader) {
        while (running.getAsBoolean()) {
            List<TopicPartition> found = kafka.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (!found.isEmpty()) {
                return found;
            }
            log.warnf("%s: the topic %s does not exist yet; waiting for it", reader, topic);
            try {
                Thread.sleep(retry.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new WakeupException();
    }

    /** Whether the consumer's position is at or past each of {@code ends}. */
    public static boolean reached(Consumer<?, ?> kafka, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (kafka.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}

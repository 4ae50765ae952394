package io.berth.common.directory;

import io.berth.common.kafka.TopicPartitions;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * The current state of a compacted topic, in memory: the latest value per key, a tombstone removes
 * the key. One plain consumer on a thread of its own reads every partition from the beginning,
 * with no consumer group (every instance of every service needs the whole topic), then follows it.
 * It counts as loaded once it has reached the end offsets it saw when it started; until then
 * {@link #loaded()} is false and the readiness check says DOWN.
 *
 * <p>A (re)load fills a fresh map and swaps it in when it has caught up, so a key whose tombstone
 * has been compacted away does not linger, and lookups keep the last complete state meanwhile.
 */
public abstract class CompactedTopicDirectory<V> {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final Logger log = Logger.getLogger(getClass());
    private final String topic;
    private volatile Map<String, V> entries = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private final CountDownLatch firstLoad = new CountDownLatch(1);
    private Thread reader;

    protected CompactedTopicDirectory(String topic) {
        this.topic = topic;
    }

    /** Reads one record's value; an exception makes the key absent, so a record that cannot be read grants nothing. */
    protected abstract V parse(String key, byte[] value) throws IOException;

    public String topic() {
        return topic;
    }

    /** True once the directory has read its topic up to the end offsets it found at start. */
    public boolean loaded() {
        return loaded;
    }

    public int size() {
        return entries.size();
    }

    protected Optional<V> get(String key) {
        return key == null ? Optional.empty() : Optional.ofNullable(entries.get(key));
    }

    protected Collection<V> values() {
        return List.copyOf(entries.values());
    }

    /**
     * Sets a key before its record comes back from the topic, so that a service that has just
     * published a change sees it in its next request. The record, when it arrives, sets the same.
     */
    protected void putLocally(String key, V value) {
        if (value == null) {
            entries.remove(key);
        } else {
            entries.put(key, value);
        }
    }

    /** Starts the reader thread (once). */
    synchronized void start(DirectoryConfig config, String bootstrapServers, String clientId) {
        if (reader != null) {
            return;
        }
        running = true;
        reader = new Thread(() -> readForever(config, bootstrapServers, clientId), "berth-directory-" + topic);
        reader.setDaemon(true);
        reader.start();
    }

    boolean awaitLoaded(Duration timeout) throws InterruptedException {
        return firstLoad.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized void stop() {
        running = false;
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
            reader = null;
        }
    }

    private void readForever(DirectoryConfig config, String bootstrapServers, String clientId) {
        while (running) {
            try {
                if (config.createTopics()) {
                    ensureTopic(config, bootstrapServers, clientId);
                }
                readFromTheBeginning(bootstrapServers, clientId);
            } catch (WakeupException stopping) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                log.warnf("directory %s: %s; reading it again from the beginning in %s s", topic, causes(e),
                        RETRY.toSeconds());
                sleep(RETRY);
            }
        }
    }

    private void readFromTheBeginning(String bootstrapServers, String clientId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-" + topic);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // the topic is compacted and created on purpose; a consumer must never create it plain
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            List<TopicPartition> partitions = TopicPartitions.await(kafka, topic, () -> running, RETRY, log, "directory");
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = kafka.endOffsets(partitions);
            Map<String, V> loading = new ConcurrentHashMap<>();
            boolean caughtUp = false;
            while (running) {
                Map<String, V> target = caughtUp ? entries : loading;
                for (ConsumerRecord<String, byte[]> record : kafka.poll(POLL)) {
                    apply(target, record);
                }
                if (!caughtUp && TopicPartitions.reached(kafka, ends)) {
                    caughtUp = true;
                    entries = loading;
                    loaded = true;
                    firstLoad.countDown();
                    log.infof("directory %s loaded: %d entries", topic, loading.size());
                }
            }
        } finally {
            consumer = null;
        }
    }

    private void apply(Map<String, V> target, ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key == null) {
            return;
        }
        if (record.value() == null) {
            target.remove(key);
            return;
        }
        try {
            target.put(key, parse(key, record.value()));
        } catch (Exception e) {
            target.remove(key);
            log.warnf("directory %s: cannot read the record of %s at %s-%d@%d, so it grants nothing: %s", topic,
                    key, record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    private void ensureTopic(DirectoryConfig config, String bootstrapServers, String clientId) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId + "-" + topic + "-admin");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(props)) {
            if (admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            NewTopic compacted = new NewTopic(topic, Optional.of(config.topicPartitions()), Optional.empty())
                    .configs(Map.of("cleanup.policy", "compact"));
            try {
                admin.createTopics(List.of(compacted)).all().get(10, TimeUnit.SECONDS);
                log.infof("directory %s: created the compacted topic", topic);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder(e.toString());
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(", caused by ").append(cause);
        }
        return text.toString();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

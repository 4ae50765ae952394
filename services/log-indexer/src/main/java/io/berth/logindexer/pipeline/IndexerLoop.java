package io.berth.logindexer.pipeline;

import io.berth.logindexer.LogsConfig;
import io.berth.logindexer.document.KafkaRecord;
import io.berth.logindexer.elasticsearch.IndexTemplates;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The pipeline: one thread that polls every log topic, bulk-writes each poll's records and only
 * then commits their offsets. At-least-once from Kafka plus ids from topic-partition-offset makes
 * every line exactly one document. While Elasticsearch takes nothing the consumer is paused (it
 * keeps polling so that it stays in its group) and the same batch is retried with backoff.
 */
@ApplicationScoped
public class IndexerLoop implements Runnable {
    private static final Logger LOG = Logger.getLogger(IndexerLoop.class);

    private final LogsConfig config;
    private final BulkIndexer indexer;
    private final IndexTemplates templates;
    private final IndexerMetrics metrics;
    private final String bootstrap;
    private volatile boolean running = true;
    private volatile boolean templatesInstalled;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    // partitions taken from this instance by a rebalance while it held a batch: their offsets are not committed
    private final Set<TopicPartition> revoked = new HashSet<>();
    private boolean pausedForElasticsearch;

    IndexerLoop(LogsConfig config, BulkIndexer indexer, IndexTemplates templates, IndexerMetrics metrics,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.config = config;
        this.indexer = indexer;
        this.templates = templates;
        this.metrics = metrics;
        this.bootstrap = bootstrap;
    }

    void start(@Observes StartupEvent ignored) {
        thread = new Thread(this, "log-indexer");
        thread.start();
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    public boolean alive() {
        return thread != null && thread.isAlive();
    }

    Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, config.consumerGroup() + "-" + ProcessHandle.current().pid());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) config.metadataMaxAge().toMillis());
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 * 1024 * 1024);
        // a long pause for Elasticsearch still polls, so the default poll interval is never at risk
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        return c;
    }

    @Override
    public void run() {
        installTemplatesIfReachable();
        while (running) {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                consumer = c;
                c.subscribe(Pattern.compile(config.topicPattern()), new Rebalance());
                LOG.infof("consuming %s as group %s into %s-*", config.topicPattern(), config.consumerGroup(), config.indexPrefix());
                while (running) {
                    ConsumerRecords<byte[], byte[]> polled = c.poll(Duration.ofMillis(500));
                    updateLag(c);
                    if (!polled.isEmpty()) {
                        process(c, polled);
                    }
                }
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                // never let the pipeline die: a new consumer resumes from the committed offsets
                LOG.errorf(e, "indexer loop failed; restarting the consumer in 1 s");
                sleepQuietly(1000);
            }
        }
    }

    private void process(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> polled) {
        List<KafkaRecord> batch = new ArrayList<>(polled.count());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : polled) {
            batch.add(KafkaRecord.of(r));
            offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        revoked.clear();
        deliver(c, batch);
        offsets.keySet().removeAll(revoked);
        if (!running || offsets.isEmpty()) {
            return;
        }
        try {
            c.commitSync(offsets, Duration.ofSeconds(10));
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            // the documents are in; a redelivery of this batch overwrites them by id
            metrics.commitFailures.increment();
            LOG.warnf("offset commit failed (%s); the batch will be redelivered and overwritten", e.toString());
        }
    }

    /** Writes the batch, pausing consumption and backing off for as long as Elasticsearch takes nothing. */
    private void deliver(KafkaConsumer<byte[], byte[]> c, List<KafkaRecord> batch) {
        for (int attempt = 1; running; attempt++) {
            try {
                if (!templatesInstalled) {
                    templates.install();
                    templatesInstalled = true;
                }
                indexer.write(batch);
                if (pausedForElasticsearch) {
                    c.resume(c.paused());
                    pausedForElasticsearch = false;
                    metrics.paused.set(0);
                    LOG.infof("Elasticsearch takes bulks again; consumption resumed after %d attempts", attempt);
                }
                return;
            } catch (ElasticsearchUnavailableException | java.io.IOException | RuntimeException e) {
                if (e instanceof WakeupException w) {
                    throw w;
                }
                templatesInstalled = false;
                metrics.bulkFailures.increment();
                if (!pausedForElasticsearch) {
                    LOG.warnf("Elasticsearch unavailable (%s): pausing consumption, retrying %d records with backoff",
                            e.getMessage(), batch.size());
                    pausedForElasticsearch = true;
                    metrics.paused.set(1);
                }
                c.pause(c.assignment());
                waitPolling(c, Backoff.delay(config.backoffInitial(), config.backoffMax(), attempt));
            }
        }
    }

    /** At start, so the templates exist before any daily index; if Elasticsearch is down, the first write retries. */
    private void installTemplatesIfReachable() {
        try {
            templates.install();
            templatesInstalled = true;
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warnf("index templates not installed yet (%s); retried before the first bulk", e.toString());
        }
    }

    /** Sleeps by polling the paused consumer, so it keeps its group membership and sees rebalances. */
    private void waitPolling(KafkaConsumer<byte[], byte[]> c, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (running && System.nanoTime() < deadline) {
            ConsumerRecords<byte[], byte[]> none = c.poll(Duration.ofMillis(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000))));
            if (!none.isEmpty()) {
                // cannot happen while every assigned partition is paused; rewind rather than lose them
                for (TopicPartition tp : none.partitions()) {
                    c.seek(tp, none.records(tp).get(0).offset());
                }
                c.pause(c.assignment());
            }
        }
    }

    private void updateLag(KafkaConsumer<byte[], byte[]> c) {
        long total = 0;
        for (TopicPartition tp : c.assignment()) {
            total += c.currentLag(tp).orElse(0);
        }
        metrics.lag.set(total);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoked.addAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            revoked.addAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            revoked.removeAll(partitions);
            if (pausedForElasticsearch) {
                consumer.pause(partitions);
            }
        }
    }
}

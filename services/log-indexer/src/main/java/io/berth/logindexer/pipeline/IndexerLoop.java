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
 * The pipeline: consumer threads (one group) that poll every log topic, bulk-write each poll's records and only
 * then commits their offsets. At-least-once from Kafka plus ids from topic-partition-offset makes
 * every line exactly one document. While Elasticsearch takes nothing the consumer is paused (it
 * keeps polling so that it stays in its group) and the same batch is retried with backoff.
 */
@ApplicationScoped
public class IndexerLoop {
    private static final Logger LOG = Logger.getLogger(IndexerLoop.class);

    private final LogsConfig config;
    private final BulkIndexer indexer;
    private final IndexTemplates templates;
    private final IndexerMetrics metrics;
    private final String bootstrap;
    private volatile boolean running = true;
    private volatile boolean templatesInstalled;
    private final List<Worker> workers = new ArrayList<>();

    IndexerLoop(LogsConfig config, BulkIndexer indexer, IndexTemplates templates, IndexerMetrics metrics,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.config = config;
        this.indexer = indexer;
        this.templates = templates;
        this.metrics = metrics;
        this.bootstrap = bootstrap;
    }

    /**
     * {@code consumer-threads} consumers of the same group: each owns some partitions and bulks
     * them on its own, so one bulk is prepared while another is in Elasticsearch.
     */
    void start(@Observes StartupEvent ignored) {
        installTemplatesIfReachable();
        for (int i = 0; i < config.consumerThreads(); i++) {
            Worker worker = new Worker(i);
            workers.add(worker);
            worker.thread.start();
        }
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        running = false;
        for (Worker w : workers) {
            KafkaConsumer<byte[], byte[]> c = w.consumer;
            if (c != null) {
                c.wakeup();
            }
        }
        for (Worker w : workers) {
            w.thread.join(10_000);
        }
    }

    public boolean alive() {
        return !workers.isEmpty() && workers.stream().allMatch(w -> w.thread.isAlive());
    }

    Map<String, Object> consumerConfig(int worker) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, config.consumerGroup() + "-" + ProcessHandle.current().pid() + "-" + worker);
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

    /** At start, so the templates exist before any daily index; if Elasticsearch is down, the first write retries. */
    private void installTemplatesIfReachable() {
        try {
            templates.install();
            templatesInstalled = true;
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warnf("index templates not installed yet (%s); retried before the first bulk", e.toString());
        }
    }

    private static long totalLag(KafkaConsumer<byte[], byte[]> c) {
        long total = 0;
        for (TopicPartition tp : c.assignment()) {
            total += c.currentLag(tp).orElse(0);
        }
        return total;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One consumer and its state; everything it touches is its own but the writer and the metrics. */
    private final class Worker implements Runnable {
        final int index;
        final Thread thread;
        final java.util.concurrent.atomic.AtomicLong lag = new java.util.concurrent.atomic.AtomicLong();
        volatile KafkaConsumer<byte[], byte[]> consumer;
        // partitions taken from this consumer by a rebalance while it held a batch: their offsets are not committed
        final Set<TopicPartition> revoked = new HashSet<>();
        volatile boolean pausedForElasticsearch;

        Worker(int index) {
            this.index = index;
            this.thread = new Thread(this, "log-indexer-" + index);
        }

        @Override
        public void run() {
            while (running) {
                try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerConfig(index), new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
                    consumer = c;
                    c.subscribe(Pattern.compile(config.topicPattern()), new Rebalance());
                    LOG.infof("consuming %s as group %s into %s-*", config.topicPattern(), config.consumerGroup(), config.indexPrefix());
                    while (running) {
                        ConsumerRecords<byte[], byte[]> polled = c.poll(Duration.ofMillis(500));
                        lag.set(totalLag(c));
                        metrics.lag.set(workers.stream().mapToLong(w -> w.lag.get()).sum());
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
                        metrics.paused.set(workers.stream().anyMatch(w -> w.pausedForElasticsearch) ? 1 : 0);
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
}

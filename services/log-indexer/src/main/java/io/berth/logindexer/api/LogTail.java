package io.berth.logindexer.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.problem.Problem;
import io.berth.common.problem.ProblemException;
import io.berth.logindexer.LogsConfig;
import io.berth.logindexer.document.DocumentJson;
import io.berth.logindexer.document.IndexNames;
import io.berth.logindexer.document.KafkaRecord;
import io.berth.logindexer.document.LogDocument;
import io.berth.logindexer.document.Mapped;
import io.berth.logindexer.document.RecordMapper;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Live tail straight from the app's topic, not from Elasticsearch: a line reaches the client as
 * soon as Kafka has it, before it is indexed. Each stream is its own consumer without a group
 * (assigned every partition, so it neither joins nor disturbs the indexer's group), positioned at
 * the end, or at {@code since} through offsetsForTimes. One thread per stream, bounded.
 */
@ApplicationScoped
public class LogTail {
    private static final Logger LOG = Logger.getLogger(LogTail.class);
    private static final Duration PARTITION_CHECK = Duration.ofSeconds(5);

    private final LogsConfig config;
    private final String bootstrap;
    private final ObjectMapper json;
    private final RecordMapper mapper;
    private final Semaphore streams;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "log-tail");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean running = true;

    LogTail(LogsConfig config, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, ObjectMapper json) {
        this.config = config;
        this.bootstrap = bootstrap;
        this.json = json;
        this.mapper = new RecordMapper(config.maxMessageChars(), config.maxJsonBytes());
        this.streams = new Semaphore(config.tailMaxStreams());
    }

    void stop(@Observes ShutdownEvent ignored) throws InterruptedException {
        running = false;
        threads.shutdown();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }

    /**
     * Starts a stream into {@code sink}; refuses with 503 when too many are open. The stream ends
     * as soon as {@code readable} says the caller may no longer read the app.
     */
    public void start(String app, Instant since, TailFilter filter, BooleanSupplier readable, SseEventSink sink, Sse sse) {
        if (!streams.tryAcquire()) {
            throw new ProblemException(Problem.of(503, "Service Unavailable",
                    "too many live tails open (" + config.tailMaxStreams() + "); try again later"));
        }
        threads.execute(() -> {
            try {
                stream(IndexNames.TOPIC_PREFIX + app, since, filter, readable, sink, sse);
            } catch (RuntimeException e) {
                LOG.debugf(e, "tail of %s ended", app);
            } finally {
                streams.release();
                sink.close();
            }
        });
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        c.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "berth-log-tail-" + System.nanoTime());
        return c;
    }

    private void stream(String topic, Instant since, TailFilter filter, BooleanSupplier readable, SseEventSink sink,
            Sse sse) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> assigned = List.of();
            long nextPartitionCheck = 0;
            long lastSent = System.nanoTime();
            boolean announced = false;
            boolean first = true;
            while (running && !sink.isClosed() && readable.getAsBoolean()) {
                if (System.nanoTime() >= nextPartitionCheck) {
                    // the topic may not exist yet (an app that never logged), or gain partitions
                    List<TopicPartition> current = partitions(consumer, topic);
                    if (!current.equals(assigned)) {
                        List<TopicPartition> before = assigned;
                        List<TopicPartition> added = current.stream().filter(tp -> !before.contains(tp)).toList();
                        consumer.assign(current);
                        position(consumer, added, since, first);
                        assigned = current;
                    }
                    first = false;
                    nextPartitionCheck = System.nanoTime() + PARTITION_CHECK.toNanos();
                    if (!announced) {
                        send(sink, sse.newEventBuilder().name("ready").mediaType(MediaType.APPLICATION_JSON_TYPE)
                                .data(Map.of("topic", topic, "partitions", current.size())).build());
                        announced = true;
                    }
                }
                if (assigned.isEmpty()) {
                    sleep(200);
                } else {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        Mapped mapped = mapper.map(KafkaRecord.of(r));
                        if (mapped instanceof Mapped.Document d && filter.test(d.document())) {
                            LogDocument doc = d.document();
                            send(sink, sse.newEventBuilder().name("log").id(doc.id())
                                    .mediaType(MediaType.APPLICATION_JSON_TYPE).data(DocumentJson.entry(doc)).build());
                            lastSent = System.nanoTime();
                        }
                    }
                }
                if (System.nanoTime() - lastSent > config.tailHeartbeat().toNanos()) {
                    send(sink, sse.newEventBuilder().comment("keep-alive").build());
                    lastSent = System.nanoTime();
                }
            }
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(2));
        } catch (org.apache.kafka.common.KafkaException e) {
            return List.of();
        }
        return infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition()))
                .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).collect(Collectors.toList());
    }

    /**
     * Partitions start at {@code since}, else at their end when they existed as the tail began, else
     * (a topic or partition that appeared while it ran: all of it is new) at their start.
     */
    private static void position(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> added, Instant since,
            boolean existedAtStart) {
        if (added.isEmpty()) {
            return;
        }
        if (since == null && !existedAtStart) {
            consumer.seekToBeginning(added);
            added.forEach(consumer::position);
            return;
        }
        if (since == null) {
            consumer.seekToEnd(added);
            added.forEach(consumer::position); // resolve now, so lines produced from here on are all seen
            return;
        }
        Map<TopicPartition, Long> query = added.stream().collect(Collectors.toMap(tp -> tp, tp -> since.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, Duration.ofSeconds(5));
        for (TopicPartition tp : added) {
            OffsetAndTimestamp at = found.get(tp);
            if (at != null) {
                consumer.seek(tp, at.offset());
            } else {
                consumer.seekToEnd(List.of(tp)); // nothing at or after since
                consumer.position(tp);
            }
        }
    }

    private static void send(SseEventSink sink, jakarta.ws.rs.sse.OutboundSseEvent event) {
        try {
            // waiting for each write keeps a slow client from piling lines up in memory
            sink.send(event).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("client gone: " + e, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

package io.berth.common.audit;

import io.berth.events.CloudEvent;
import io.berth.events.Topics;
import io.berth.events.audit.AuditRecorded;
import io.berth.events.kafka.CloudEventSerializer;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes audit records on {@code berth.audit}, keyed by app, with a producer of its own on a
 * thread of its own: a request hands its record over and goes on, so a slow or absent broker never
 * holds up or fails the call it records. Records wait in a bounded queue (and then in the
 * producer's buffer, retried until Kafka has them); when the queue is full a record is dropped and
 * counted in the log, never the call.
 */
@ApplicationScoped
public class AuditPublisher {
    private static final Logger LOG = Logger.getLogger(AuditPublisher.class);
    private static final int QUEUE = 10_000;

    private final boolean enabled;
    private final String bootstrapServers;
    private final String source;
    private final String clientId;
    private final ThreadPoolExecutor sender;
    private final AtomicLong dropped = new AtomicLong();
    private KafkaProducer<String, CloudEvent> producer;

    AuditPublisher(@ConfigProperty(name = "berth.audit.enabled") boolean enabled,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "berth") String application) {
        this.enabled = enabled;
        this.bootstrapServers = bootstrapServers;
        // berth-deploy publishes as /berth/deploy, as its other events do
        this.source = "/berth/" + (application.startsWith("berth-") ? application.substring("berth-".length()) : application);
        this.clientId = application + "-audit";
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), runnable -> {
            Thread thread = new Thread(runnable, "berth-audit-publisher");
            thread.setDaemon(true);
            return thread;
        }, (runnable, executor) -> {
            long count = dropped.incrementAndGet();
            if (count == 1 || count % 1000 == 0) {
                LOG.warnf("audit queue full (%d records waiting for Kafka): %d records dropped so far", QUEUE, count);
            }
        });
    }

    /** The CloudEvent source of this service's audit records, {@code /berth/<service>}. */
    public String source() {
        return source;
    }

    /** Hands the record to the publishing thread; returns at once, whatever Kafka does. */
    public void publish(AuditRecorded record) {
        if (!enabled) {
            return;
        }
        CloudEvent event = CloudEvent.of(source, record);
        sender.execute(() -> send(event));
    }

    private void send(CloudEvent event) {
        try {
            producer().send(new ProducerRecord<>(Topics.AUDIT, event.subject(), event), (metadata, failure) -> {
                if (failure != null) {
                    LOG.warnf("audit record %s (%s by %s) not published: %s", event.id(),
                            ((AuditRecorded) event.data()).action(), ((AuditRecorded) event.data()).actor(), failure.getMessage());
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf("audit record %s not published: %s", event.id(), e.getMessage());
        }
    }

    private KafkaProducer<String, CloudEvent> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
            // only this thread waits for metadata, never a request
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            producer = new KafkaProducer<>(props, new StringSerializer(), new CloudEventSerializer());
        }
        return producer;
    }

    void stop(@Observes ShutdownEvent stopping) {
        sender.shutdown();
        try {
            if (sender.awaitTermination(3, TimeUnit.SECONDS) && producer != null) {
                producer.close(Duration.ofSeconds(3));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

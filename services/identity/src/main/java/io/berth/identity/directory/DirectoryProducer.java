package io.berth.identity.directory;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.berth.common.problem.Problem;
import io.berth.common.problem.ProblemException;
import io.berth.events.EventCodec;
import io.berth.events.directory.TokenEntry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Writes the token directory, the compacted topic {@code berth.identity}: under each token's
 * SHA-256 (hex) its {@link TokenEntry} as plain JSON, or a tombstone (null value) once the token
 * no longer works. Every write waits for the broker's acknowledgement (acks=all), so an API call
 * that revokes a token answers only once every service can read the tombstone. A plain producer
 * rather than a messaging channel: tombstones and one awaited ack per record are what it needs.
 */
@ApplicationScoped
public class DirectoryProducer {
    private static final Logger LOG = Logger.getLogger(DirectoryProducer.class);

    /** One record for the directory: a null entry is a tombstone. */
    public record Write(String sha256, TokenEntry entry) {
        public static Write tombstone(String sha256) {
            return new Write(sha256, null);
        }
    }

    private final String topic;
    private final Producer<String, byte[]> producer;

    DirectoryProducer(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap,
            @ConfigProperty(name = "berth.identity.directory.topic") String topic,
            @ConfigProperty(name = "berth.identity.directory.ack-timeout") Duration ackTimeout) {
        this.topic = topic;
        int timeout = (int) ackTimeout.toMillis();
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.CLIENT_ID_CONFIG, "berth-identity-directory",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // a send blocks the caller's thread while metadata is missing: keep that short
                ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(timeout, 2000),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout),
                new StringSerializer(), new ByteArraySerializer());
    }

    public String topic() {
        return topic;
    }

    /**
     * Sends every write at once and completes when the broker has acknowledged all of them; it
     * fails with a 503 problem otherwise. Completion comes back on the caller's Vert.x context,
     * so a reactive session in use there can go on.
     */
    public Uni<Void> publish(List<Write> writes) {
        if (writes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> acks = new ArrayList<>(writes.size());
        for (Write write : writes) {
            acks.add(send(write));
        }
        return Uni.join().all(acks).andFailFast().replaceWithVoid();
    }

    private Uni<Void> send(Write write) {
        byte[] value = write.entry() == null ? null : json(write.entry());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, write.sha256(), value);
        Context context = Vertx.currentContext();
        return Uni.createFrom().emitter(emitter -> {
            Runnable sending = () -> {
                try {
                    producer.send(record, (metadata, error) -> onContext(context, () -> {
                        if (error == null) {
                            emitter.complete(null);
                        } else {
                            emitter.fail(unavailable(error));
                        }
                    }));
                } catch (RuntimeException e) {
                    onContext(context, () -> emitter.fail(unavailable(e)));
                }
            };
            // send() blocks while the topic's metadata is missing (at start, after a broker move):
            // never on an event loop
            Infrastructure.getDefaultWorkerPool().execute(sending);
        });
    }

    /** Back on the caller's context: the reactive session of a transaction is bound to it. */
    private static void onContext(Context context, Runnable action) {
        if (context != null) {
            context.runOnContext(ignored -> action.run());
        } else {
            action.run();
        }
    }

    private static ProblemException unavailable(Throwable cause) {
        // the hash names the key, which is no secret; the token itself is never at hand here
        LOG.warnf("the token directory did not acknowledge a write: %s", cause.toString());
        return new ProblemException(Problem.of(503, "Service Unavailable",
                "the token directory (Kafka) did not acknowledge the change; nothing was changed, try again"));
    }

    private static byte[] json(TokenEntry entry) {
        try {
            return EventCodec.mapper().writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a TokenEntry is always writable", e);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}

package io.berth.logcollector;

import io.berth.events.CloudEvent;
import io.berth.events.Topics;
import io.berth.events.log.LogLine;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Produces a line to its app's topic, keyed by instance so one instance's lines stay in order.
 * The returned Uni completes once Kafka has acknowledged: only then may a file position be checkpointed.
 */
@ApplicationScoped
public class LogPublisher {
    static final String SOURCE = "/berth/log-collector";

    @Channel("logs")
    MutinyEmitter<CloudEvent> emitter;

    public Uni<Void> publish(LogLine line) {
        var metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(Topics.logs(line.app()))
                .withKey(line.instance())
                .build();
        return Uni.createFrom().emitter(done -> emitter.sendMessageAndForget(
                Message.of(CloudEvent.of(SOURCE, line))
                        .addMetadata(metadata)
                        .withAck(() -> {
                            done.complete(null);
                            return java.util.concurrent.CompletableFuture.completedFuture(null);
                        })
                        .withNack(failure -> {
                            done.fail(failure);
                            return java.util.concurrent.CompletableFuture.completedFuture(null);
                        })));
    }
}

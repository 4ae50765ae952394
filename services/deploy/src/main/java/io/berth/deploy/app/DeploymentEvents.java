package io.berth.deploy.app;

import io.berth.events.CloudEvent;
import io.berth.events.EventData;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes on berth.deployments, keyed by app; the returned Uni completes when Kafka has acknowledged. */
@ApplicationScoped
public class DeploymentEvents {
    static final String SOURCE = "/berth/deploy";

    @Channel("deployments")
    MutinyEmitter<Record<String, CloudEvent>> emitter;

    public Uni<Void> publish(EventData data) {
        return emitter.send(Record.of(data.app(), CloudEvent.of(SOURCE, data)));
    }
}

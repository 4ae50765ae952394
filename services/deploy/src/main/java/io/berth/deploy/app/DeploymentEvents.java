package io.berth.deploy.app;

import io.berth.events.CloudEvent;
import io.berth.events.EventData;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/** Publishes on berth.deployments, keyed by app; the returned Uni completes when Kafka has acknowledged. */
@ApplicationScoped
public class DeploymentEvents {
    private static final Logger LOG = Logger.getLogger(DeploymentEvents.class);
    static final String SOURCE = "/berth/deploy";

    @Channel("deployments")
    MutinyEmitter<Record<String, CloudEvent>> emitter;

    public Uni<Void> publish(EventData data) {
        return emitter.send(Record.of(data.app(), CloudEvent.of(SOURCE, data)));
    }

    /**
     * Publishes, in order, the events of a change that is already committed. A failure is logged
     * and the rest still go out: the change stands either way (an outbox would make this exact).
     */
    public Uni<Void> publishAll(List<EventData> events) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (EventData event : events) {
            chain = chain.chain(() -> publish(event)
                    .onFailure().invoke(e -> LOG.warnf("could not publish %s for %s: %s",
                            event.getClass().getSimpleName(), event.app(), e.getMessage()))
                    .onFailure().recoverWithNull());
        }
        return chain;
    }
}

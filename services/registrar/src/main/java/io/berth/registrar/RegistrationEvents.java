package io.berth.registrar;

import io.berth.events.CloudEvent;
import io.berth.events.EventData;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes on berth.registrations, keyed by app so one app's events stay ordered. Sending does not
 * wait for the broker: the registry write it reports has already happened, and waiting would put
 * a broker round trip in front of the next registration.
 */
@ApplicationScoped
public class RegistrationEvents {
    private static final Logger LOG = Logger.getLogger(RegistrationEvents.class);
    static final String SOURCE = "/berth/registrar";

    @Channel("registrations")
    MutinyEmitter<Record<String, CloudEvent>> emitter;

    public void publish(EventData data) {
        emitter.send(Record.of(data.app(), CloudEvent.of(SOURCE, data))).subscribe().with(
                sent -> {
                },
                e -> LOG.warnf("could not publish %s of %s: %s", data.getClass().getSimpleName(), data.app(),
                        e.getMessage()));
    }
}

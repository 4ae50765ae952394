package io.berth.gateway.registry;

import io.berth.events.CloudEvent;
import io.berth.events.registration.InstanceDeregistered;
import io.berth.events.registration.InstanceRegistered;
import io.berth.gateway.reconcile.GatewayReconciler;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The edge trigger: berth.registrations changes the desired state at once and wakes the reconciler.
 * Idempotent: an event seen twice leaves the view as it was and triggers nothing.
 */
@ApplicationScoped
public class RegistrationEvents {
    private static final Logger LOG = Logger.getLogger(RegistrationEvents.class);

    private final RegistryView view;
    private final GatewayReconciler reconciler;

    RegistrationEvents(RegistryView view, GatewayReconciler reconciler) {
        this.view = view;
        this.reconciler = reconciler;
    }

    @Incoming("registrations")
    public void on(CloudEvent event) {
        if (event == null) {
            return; // a record that did not deserialize; the periodic reconcile covers for it
        }
        boolean changed = false;
        if (event.data() instanceof InstanceRegistered registered) {
            changed = view.registered(registered);
        } else if (event.data() instanceof InstanceDeregistered deregistered) {
            changed = view.deregistered(deregistered);
        }
        if (changed) {
            LOG.infof("%s of %s, %d ms after it was published", event.type(), event.subject(),
                    java.time.Duration.between(event.time(), java.time.Instant.now()).toMillis());
            reconciler.trigger();
        }
    }
}

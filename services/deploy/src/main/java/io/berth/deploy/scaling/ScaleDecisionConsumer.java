package io.berth.deploy.scaling;

import io.berth.deploy.app.AppOperations;
import io.berth.events.CloudEvent;
import io.berth.events.scaling.ScaleDecided;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Takes the autoscaler's decisions from berth.scaling and applies each as a recorded scale (with
 * the autoscaler's reason in the app's history). Other event types on the topic are not ours.
 */
@ApplicationScoped
public class ScaleDecisionConsumer {
    private static final Logger LOG = Logger.getLogger(ScaleDecisionConsumer.class);

    private final AppOperations operations;

    ScaleDecisionConsumer(AppOperations operations) {
        this.operations = operations;
    }

    @Incoming("scaling")
    public Uni<Void> consume(CloudEvent event) {
        // null: a record that was not a readable event (logged by the connector)
        if (event == null || !(event.data() instanceof ScaleDecided decision)) {
            return Uni.createFrom().voidItem();
        }
        return operations.applyDecision(decision)
                .invoke(applied -> LOG.infof("scale decision %s for %s (%d to %d): %s", decision.decisionId(),
                        decision.app(), decision.fromReplicas(), decision.toReplicas(),
                        applied ? "applied" : "skipped (already applied, stale, or no such app)"))
                .replaceWithVoid();
    }
}

package io.berth.logcollector.topic;

import io.berth.events.CloudEvent;
import io.berth.events.deployment.AppCreated;
import io.berth.events.deployment.AppDeleted;
import io.berth.logcollector.LogCollector;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** AppCreated and AppDeleted from berth.deployments, applied to the app's log topic. */
@ApplicationScoped
public class DeploymentEvents {
    private static final Logger LOG = Logger.getLogger(DeploymentEvents.class);

    private final LogCollector collector;

    DeploymentEvents(LogCollector collector) {
        this.collector = collector;
    }

    @Incoming("deployments")
    @Blocking
    public void consume(CloudEvent event) throws Exception {
        // null: a record that was not a readable event (logged by the connector)
        if (event == null) {
            return;
        }
        if (event.data() instanceof AppCreated created) {
            collector.topicPolicy().appCreated(created.app());
        } else if (event.data() instanceof AppDeleted deleted) {
            collector.topicPolicy().appDeleted(deleted.app());
        } else {
            return;
        }
        LOG.debugf("applied %s for %s", event.type(), event.subject());
    }
}

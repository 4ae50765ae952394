package io.berth.agent.instance;

import io.berth.events.CloudEvent;
import io.berth.events.EventData;
import io.berth.events.instance.InstanceStateChanged;
import io.berth.events.metric.InstanceUsage;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes instance state on berth.instances and usage on berth.metrics, keyed by app. Never
 * blocks the supervisor: the watch stream is the primary feed and the registrar reconciles
 * against it, so an event Kafka could not take is logged, not retried forever.
 */
@ApplicationScoped
public class InstanceEvents {
    private static final Logger LOG = Logger.getLogger(InstanceEvents.class);
    static final String SOURCE = "/berth/agent";

    @Channel("instances")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
    MutinyEmitter<Record<String, CloudEvent>> instances;

    @Channel("metrics")
    @OnOverflow(value = OnOverflow.Strategy.DROP)
    MutinyEmitter<Record<String, CloudEvent>> metrics;

    void stateChanged(InstanceSpec spec, InstanceView view) {
        send(instances, new InstanceStateChanged(spec.app(), spec.id(), spec.release(), view.state(), view.host(),
                view.port(), view.version(), view.reason()));
    }

    void usage(String app, String instance, double cpuPercent, long memoryBytes) {
        send(metrics, new InstanceUsage(app, instance, cpuPercent, memoryBytes));
    }

    private static void send(MutinyEmitter<Record<String, CloudEvent>> emitter, EventData data) {
        emitter.send(Record.of(data.app(), CloudEvent.of(SOURCE, data)))
                .subscribe().with(ok -> { }, e -> LOG.warnf("could not publish %s for %s: %s",
                        data.getClass().getSimpleName(), data.app(), e.getMessage()));
    }
}

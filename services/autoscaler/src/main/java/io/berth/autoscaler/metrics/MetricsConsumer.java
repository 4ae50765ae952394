package io.berth.autoscaler.metrics;

import io.berth.events.CloudEvent;
import io.berth.events.metric.BackendStats;
import io.berth.events.metric.InstanceUsage;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * berth.metrics into the windows. Samples are timed on arrival by the autoscaler's own clock, so
 * a producer's clock skew cannot make fresh samples look old.
 */
@ApplicationScoped
public class MetricsConsumer {
    private final MetricWindows windows;
    private final Clock clock;

    MetricsConsumer(MetricWindows windows, Clock clock) {
        this.windows = windows;
        this.clock = clock;
    }

    @Incoming("metrics")
    public void consume(CloudEvent event) {
        if (event == null) {
            return;
        }
        if (event.data() instanceof BackendStats stats) {
            windows.add(stats, clock.instant());
        } else if (event.data() instanceof InstanceUsage usage) {
            windows.add(usage, clock.instant());
        }
    }
}

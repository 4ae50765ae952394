package io.berth.events.metric;

import io.berth.events.EventData;
import io.berth.events.Require;

/** CPU (percent of one core) and resident memory of one instance, sampled by the runtime. */
public record InstanceUsage(String app, String instance, double cpuPercent, long memoryBytes) implements EventData {
    public InstanceUsage {
        Require.text(app, "app");
        Require.text(instance, "instance");
    }
}

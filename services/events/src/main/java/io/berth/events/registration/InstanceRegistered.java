package io.berth.events.registration;

import io.berth.events.EventData;
import io.berth.events.Require;

public record InstanceRegistered(String app, String instance, int release, String host, int port, int weight)
        implements EventData {
    public InstanceRegistered {
        Require.text(app, "app");
        Require.text(instance, "instance");
        Require.text(host, "host");
        Require.atLeast(port, 1, "port");
        Require.atLeast(weight, 0, "weight");
    }
}

package io.berth.events.registration;

import io.berth.events.EventData;
import io.berth.events.Require;

public record InstanceDeregistered(String app, String instance, String reason) implements EventData {
    public InstanceDeregistered {
        Require.text(app, "app");
        Require.text(instance, "instance");
    }
}

package io.berth.events.deployment;

import io.berth.events.EventData;
import io.berth.events.Require;

/** The app's desired replicas changed; {@code cause} is who or what asked (a user, an autoscaler decision). */
public record Scaled(String app, int fromReplicas, int toReplicas, String cause) implements EventData {
    public Scaled {
        Require.text(app, "app");
        Require.atLeast(fromReplicas, 0, "fromReplicas");
        Require.atLeast(toReplicas, 0, "toReplicas");
        Require.text(cause, "cause");
    }
}

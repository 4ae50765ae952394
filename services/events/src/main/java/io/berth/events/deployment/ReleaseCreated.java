package io.berth.events.deployment;

import io.berth.events.EventData;
import io.berth.events.Require;

/** A new immutable release {@code release} (v1, v2, ...) of an app was stored. */
public record ReleaseCreated(String app, int release, int replicas, String createdBy) implements EventData {
    public ReleaseCreated {
        Require.text(app, "app");
        Require.atLeast(release, 1, "release");
        Require.atLeast(replicas, 0, "replicas");
    }
}

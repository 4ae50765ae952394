package io.berth.events.deployment;

import io.berth.events.EventData;
import io.berth.events.Require;

/** The canary of {@code release} was aborted by {@code actor}; its instances go and {@code backTo} serves alone. */
public record CanaryAborted(String app, String rolloutId, int release, Integer backTo, String actor)
        implements EventData {
    public CanaryAborted {
        Require.text(app, "app");
        Require.text(rolloutId, "rolloutId");
        Require.atLeast(release, 1, "release");
    }
}

package io.berth.events.deployment;

import io.berth.events.EventData;
import io.berth.events.Require;

/** {@code fromRelease} is null for an app's first rollout. */
public record RolloutStarted(String app, String rolloutId, Integer fromRelease, int toRelease, int replicas)
        implements EventData {
    public RolloutStarted {
        Require.text(app, "app");
        Require.text(rolloutId, "rolloutId");
        Require.atLeast(toRelease, 1, "toRelease");
        Require.atLeast(replicas, 0, "replicas");
    }
}

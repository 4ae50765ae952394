package io.berth.events.deployment;

import io.berth.events.EventData;
import io.berth.events.Require;

public record RolloutCompleted(String app, String rolloutId, int release) implements EventData {
    public RolloutCompleted {
        Require.text(app, "app");
        Require.text(rolloutId, "rolloutId");
        Require.atLeast(release, 1, "release");
    }
}

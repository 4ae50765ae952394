package io.berth.events.deployment;

import io.berth.events.EventData;
import io.berth.events.Require;

/** {@code rolledBackTo} is the release now serving again, or null when there was none to go back to. */
public record RolloutFailed(String app, String rolloutId, int release, String reason, Integer rolledBackTo)
        implements EventData {
    public RolloutFailed {
        Require.text(app, "app");
        Require.text(rolloutId, "rolloutId");
        Require.atLeast(release, 1, "release");
        Require.text(reason, "reason");
    }
}

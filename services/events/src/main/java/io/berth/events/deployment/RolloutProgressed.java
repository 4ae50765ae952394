package io.berth.events.deployment;

import io.berth.events.EventData;
import io.berth.events.Require;

/** {@code ready} of {@code desired} instances of {@code toRelease} are Ready; {@code message} says what happened. */
public record RolloutProgressed(String app, String rolloutId, int toRelease, int ready, int desired, String message)
        implements EventData {
    public RolloutProgressed {
        Require.text(app, "app");
        Require.text(rolloutId, "rolloutId");
        Require.atLeast(toRelease, 1, "toRelease");
    }
}

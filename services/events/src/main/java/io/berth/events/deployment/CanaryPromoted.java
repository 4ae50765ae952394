package io.berth.events.deployment;

import io.berth.events.EventData;
import io.berth.events.Require;

/** The canary of {@code release} was promoted by {@code actor}: the rolling update to it goes on. */
public record CanaryPromoted(String app, String rolloutId, int release, String actor) implements EventData {
    public CanaryPromoted {
        Require.text(app, "app");
        Require.text(rolloutId, "rolloutId");
        Require.atLeast(release, 1, "release");
    }
}

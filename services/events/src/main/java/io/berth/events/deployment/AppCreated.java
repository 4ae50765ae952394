package io.berth.events.deployment;

import io.berth.events.EventData;
import io.berth.events.Require;

public record AppCreated(String app, String team) implements EventData {
    public AppCreated {
        Require.text(app, "app");
        Require.text(team, "team");
    }
}

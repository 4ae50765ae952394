package io.berth.events.deployment;

import io.berth.events.EventData;
import io.berth.events.Require;

public record AppDeleted(String app, String team) implements EventData {
    public AppDeleted {
        Require.text(app, "app");
        Require.text(team, "team");
    }
}

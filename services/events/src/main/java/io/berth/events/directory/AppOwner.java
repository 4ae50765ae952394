package io.berth.events.directory;

import io.berth.events.Require;

/**
 * Which team owns an app, on the compacted topic {@code berth.app-owners} keyed by app; a
 * tombstone when the app is deleted. Services that know apps only by name (registrar, gateway,
 * autoscaler, log-indexer, agent) decide access from it.
 */
public record AppOwner(String app, String team) {
    public AppOwner {
        Require.text(app, "app");
        Require.text(team, "team");
    }
}

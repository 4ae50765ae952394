package io.berth.events.instance;

import io.berth.events.EventData;
import io.berth.events.Require;

/**
 * An instance moved to {@code state}. {@code version} grows with every change the runtime makes,
 * so a consumer can drop a change older than one it has already applied.
 */
public record InstanceStateChanged(String app, String instance, int release, InstanceState state, String host,
        int port, long version, String reason) implements EventData {
    public InstanceStateChanged {
        Require.text(app, "app");
        Require.text(instance, "instance");
        Require.atLeast(release, 1, "release");
        Require.present(state, "state");
        Require.atLeast(port, 0, "port");
        Require.atLeast(version, 0, "version");
    }
}

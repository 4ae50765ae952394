package io.berth.events.metric;

import io.berth.events.EventData;
import io.berth.events.Require;

/** One HAProxy backend (one app) sampled by the gateway over {@code intervalMillis}. */
public record BackendStats(String app, long intervalMillis, double requestsPerSecond, long responses2xx,
        long responses5xx, double responseTimeMillis, long queued, long sessions, int activeServers)
        implements EventData {
    public BackendStats {
        Require.text(app, "app");
        Require.atLeast(intervalMillis, 1, "intervalMillis");
    }
}

package io.berth.events.scaling;

import io.berth.events.EventData;
import io.berth.events.Require;

/** The autoscaler wants {@code toReplicas}; {@code decisionId} makes applying it idempotent. */
public record ScaleDecided(String app, String decisionId, int fromReplicas, int toReplicas, String reason)
        implements EventData {
    public ScaleDecided {
        Require.text(app, "app");
        Require.text(decisionId, "decisionId");
        Require.atLeast(fromReplicas, 0, "fromReplicas");
        Require.atLeast(toReplicas, 0, "toReplicas");
        Require.text(reason, "reason");
    }
}

package io.berth.events.scaling;

import io.berth.events.EventData;
import io.berth.events.Require;
import java.util.Map;

/**
 * The autoscaler wants {@code toReplicas}; {@code decisionId} makes applying it idempotent.
 * {@code inputs} are what it saw (metrics per instance, targets, bounds), for explaining it.
 */
public record ScaleDecided(String app, String decisionId, int fromReplicas, int toReplicas, String reason,
        Map<String, Object> inputs) implements EventData {
    public ScaleDecided {
        Require.text(app, "app");
        Require.text(decisionId, "decisionId");
        Require.atLeast(fromReplicas, 0, "fromReplicas");
        Require.atLeast(toReplicas, 0, "toReplicas");
        Require.text(reason, "reason");
        inputs = inputs == null ? Map.of() : inputs;
    }

    public ScaleDecided(String app, String decisionId, int fromReplicas, int toReplicas, String reason) {
        this(app, decisionId, fromReplicas, toReplicas, reason, Map.of());
    }
}

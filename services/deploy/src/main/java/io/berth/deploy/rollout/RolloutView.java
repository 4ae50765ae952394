package io.berth.deploy.rollout;

import java.time.OffsetDateTime;
import java.util.UUID;

public record RolloutView(UUID id, String app, String kind, Integer fromRelease, int toRelease, int replicas,
        RolloutState state, int ready, String reason, OffsetDateTime startedAt, OffsetDateTime finishedAt,
        Integer canaryWeight) {

    public static RolloutView of(Rollout r) {
        return new RolloutView(r.id, r.app, r.kind, r.fromRelease, r.toRelease, r.replicas, r.state, r.ready, r.reason,
                r.startedAt, r.finishedAt, r.canaryWeight);
    }
}

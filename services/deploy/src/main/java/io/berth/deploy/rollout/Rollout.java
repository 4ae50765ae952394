package io.berth.deploy.rollout;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One move of an app from a release (or none) to another, stored so that a restarted deploy
 * service picks it up where it was. {@code kind} says why: release, canary, rollback, restart.
 */
@Entity
@Table(name = "rollout")
public class Rollout extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(nullable = false)
    public String app;

    @Column(nullable = false)
    public String kind;

    @Column(name = "from_release")
    public Integer fromRelease;

    @Column(name = "to_release", nullable = false)
    public int toRelease;

    @Column(nullable = false)
    public int replicas;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RolloutState state;

    @Column(nullable = false)
    public int ready;

    public String reason;

    @Column(name = "started_at", nullable = false)
    public OffsetDateTime startedAt;

    /** the last time more new instances were Ready; the progress deadline counts from here */
    @Column(name = "progress_at", nullable = false)
    public OffsetDateTime progressAt;

    @Column(name = "finished_at")
    public OffsetDateTime finishedAt;

    /** the canary's share of traffic in percent while the canary phase lasts; null once promoted, and for other kinds */
    @Column(name = "canary_weight")
    public Integer canaryWeight;

    public static Uni<Rollout> active(String app) {
        return find("app = ?1 and state in ?2", app, RolloutState.ACTIVE).firstResult();
    }

    public static Rollout start(String app, String kind, Integer from, int to, int replicas) {
        Rollout r = new Rollout();
        r.id = UUID.randomUUID();
        r.app = app;
        r.kind = kind;
        r.fromRelease = from;
        r.toRelease = to;
        r.replicas = replicas;
        r.state = RolloutState.PROGRESSING;
        r.startedAt = OffsetDateTime.now();
        r.progressAt = r.startedAt;
        return r;
    }
}

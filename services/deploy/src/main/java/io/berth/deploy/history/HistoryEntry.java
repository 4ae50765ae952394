package io.berth.deploy.history;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One line of an app's history: a release, rollout, scale, restart or rollback, and who did it. */
@Entity
@Table(name = "history")
public class HistoryEntry extends PanacheEntityBase {
    public static final String RELEASE = "release";
    public static final String ROLLOUT = "rollout";
    public static final String SCALE = "scale";
    public static final String RESTART = "restart";
    public static final String ROLLBACK = "rollback";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String app;

    @Column(nullable = false)
    public OffsetDateTime at;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String summary;

    @Column(nullable = false)
    public String actor;

    public static Uni<HistoryEntry> record(String app, String kind, String summary, String actor) {
        HistoryEntry e = new HistoryEntry();
        e.app = app;
        e.at = OffsetDateTime.now();
        e.kind = kind;
        e.summary = summary;
        e.actor = actor;
        return e.persist();
    }
}

package io.berth.autoscaler.decision;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One decision: what it saw (inputs, as JSON), the rule's account (reason), and what it wanted. */
@Entity
@Table(name = "decision")
public class Decision extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(nullable = false)
    public String app;

    @Column(name = "decided_at", nullable = false)
    public OffsetDateTime decidedAt;

    @Column(name = "from_replicas", nullable = false)
    public int fromReplicas;

    @Column(name = "to_replicas", nullable = false)
    public int toReplicas;

    @Column(nullable = false)
    public String reason;

    @Column(nullable = false)
    public String inputs;

    @Column(name = "dry_run", nullable = false)
    public boolean dryRun;

    @Column(nullable = false)
    public boolean published;
}

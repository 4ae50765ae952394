package io.berth.autoscaler.policy;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A metric policy of one app: keep {@code metric} near {@code target} within min..max replicas. */
@Entity
@Table(name = "policy")
public class Policy extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String app;

    @Column(nullable = false)
    public String metric;

    @Column(nullable = false)
    public double target;

    @Column(name = "min_replicas", nullable = false)
    public int minReplicas;

    @Column(name = "max_replicas", nullable = false)
    public int maxReplicas;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}

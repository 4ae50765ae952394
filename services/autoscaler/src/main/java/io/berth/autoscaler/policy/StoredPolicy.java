package io.berth.autoscaler.policy;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An app's policy as submitted (with defaults filled in), as JSON. */
@Entity
@Table(name = "autoscaling_policy")
public class StoredPolicy extends PanacheEntityBase {
    @Id
    public String app;

    @Column(nullable = false)
    public String spec;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;
}

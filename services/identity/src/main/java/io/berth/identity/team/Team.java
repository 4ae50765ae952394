package io.berth.identity.team;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A team: owns apps (in deploy) and has members with roles. */
@Entity
@Table(name = "team")
public class Team extends PanacheEntityBase {
    @Id
    public String name;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;
}

package io.berth.deploy.app;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An app: a DNS-safe name owned by one team. Releases and rollouts hang off it. */
@Entity
@Table(name = "app")
public class App extends PanacheEntityBase {
    @Id
    public String name;

    @Column(nullable = false)
    public String team;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}

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

    /** desired number of instances */
    @Column(nullable = false)
    public int replicas;

    /** the release that fully serves (null before the first rollout completes) */
    @Column(name = "current_release")
    public Integer currentRelease;

    /** the release the runtime is told to run: current, or the one a rollout moves to */
    @Column(name = "target_release")
    public Integer targetRelease;

    /** bumped by a restart: instances started before it are replaced, rolling */
    @Column(name = "restart_serial", nullable = false)
    public int restartSerial;

    @Column(nullable = false)
    public boolean deleting;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}

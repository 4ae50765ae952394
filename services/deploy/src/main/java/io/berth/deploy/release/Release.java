package io.berth.deploy.release;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An immutable release of an app; {@code spec} is its {@link ReleaseSpec} as JSON. */
@Entity
@Table(name = "release")
public class Release extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String app;

    @Column(nullable = false)
    public int version;

    @Column(nullable = false)
    public String spec;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    public static io.smallrye.mutiny.Uni<Release> of(String app, int version) {
        return find("app = ?1 and version = ?2", app, version).firstResult();
    }
}

package io.berth.deploy.registry;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A team's username and sealed password for one image registry; the id is {@code <team>/<server>}. */
@Entity
@Table(name = "registry_credential")
public class RegistryCredential extends PanacheEntityBase {
    @Id
    public String id;

    @Column(nullable = false)
    public String team;

    /** host[:port], as image references name it */
    @Column(nullable = false)
    public String server;

    @Column(nullable = false)
    public String username;

    /** sealed: enc:v1:... */
    @Column(nullable = false)
    public String password;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    static String id(String team, String server) {
        return team + "/" + server;
    }
}

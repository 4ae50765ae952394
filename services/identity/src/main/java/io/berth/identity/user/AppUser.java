package io.berth.identity.user;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A person (or a robot) that holds API tokens and belongs to teams. */
@Entity
@Table(name = "app_user")
public class AppUser extends PanacheEntityBase {
    @Id
    public String name;

    /** may do everything the bootstrap admin token may */
    @Column(name = "platform_admin", nullable = false)
    public boolean platformAdmin;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    public static AppUser named(String name) {
        AppUser user = new AppUser();
        user.name = name;
        user.createdAt = OffsetDateTime.now();
        return user;
    }
}

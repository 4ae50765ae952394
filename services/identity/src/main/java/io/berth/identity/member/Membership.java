package io.berth.identity.member;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Objects;

/** A user's role in a team: admin, developer or viewer. */
@Entity
@Table(name = "membership")
@IdClass(Membership.Key.class)
public class Membership extends PanacheEntityBase {
    public static final String ADMIN = "admin";

    @Id
    public String team;

    @Id
    @Column(name = "user_name")
    public String userName;

    @Column(nullable = false)
    public String role;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public static Uni<Membership> of(String team, String user) {
        return find("team = ?1 and userName = ?2", team, user).firstResult();
    }

    public static Uni<List<Membership>> ofUser(String user) {
        return list("userName = ?1 order by team", user);
    }

    public static Uni<List<Membership>> ofTeam(String team) {
        return list("team = ?1 order by userName", team);
    }

    public boolean admin() {
        return ADMIN.equals(role);
    }

    public static class Key implements Serializable {
        public String team;
        public String userName;

        public Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(team, k.team) && Objects.equals(userName, k.userName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(team, userName);
        }
    }
}

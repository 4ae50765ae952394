package io.berth.deploy.api;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** The first answer to a POST that carried an Idempotency-Key, kept to answer its repeats. */
@Entity
@Table(name = "idempotency_key")
@IdClass(IdempotencyKey.Id.class)
public class IdempotencyKey extends PanacheEntityBase {
    @jakarta.persistence.Id
    public String principal;

    @jakarta.persistence.Id
    public String key;

    @Column(name = "request_hash", nullable = false)
    public String requestHash;

    @Column(nullable = false)
    public int status;

    public String location;

    @Column(nullable = false)
    public String body;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    public static class Id implements Serializable {
        public String principal;
        public String key;

        public Id() {
        }

        public Id(String principal, String key) {
            this.principal = principal;
            this.key = key;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Id other && Objects.equals(principal, other.principal) && Objects.equals(key, other.key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(principal, key);
        }
    }
}

package io.berth.identity.token;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An API token as stored: its SHA-256 (hex), never the token. */
@Entity
@Table(name = "api_token")
public class ApiToken extends PanacheEntityBase {
    @Id
    public UUID id;

    @Column(name = "user_name", nullable = false)
    public String userName;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String sha256;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    /** when the tombstone of this expired token went onto the directory */
    @Column(name = "expiry_published_at")
    public OffsetDateTime expiryPublishedAt;

    public boolean expiredAt(OffsetDateTime now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /** Works now: neither revoked nor expired. */
    public boolean activeAt(OffsetDateTime now) {
        return revokedAt == null && !expiredAt(now);
    }
}

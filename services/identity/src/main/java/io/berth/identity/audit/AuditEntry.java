package io.berth.identity.audit;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One audited call of some Berth service, as its AuditRecorded event said. */
@Entity
@Table(name = "audit_entry")
public class AuditEntry extends PanacheEntityBase {
    /** the CloudEvent id: an event delivered twice is stored once */
    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(nullable = false)
    public OffsetDateTime at;

    /** the service that recorded it (the CloudEvent source) */
    @Column(nullable = false)
    public String source;

    /** null when the call named no app */
    public String app;

    public String team;

    @Column(nullable = false)
    public String actor;

    @Column(name = "actor_kind", nullable = false)
    public String actorKind;

    @Column(name = "token_id")
    public String tokenId;

    @Column(nullable = false)
    public String action;

    @Column(nullable = false)
    public String path;

    @Column(name = "remote_address")
    public String remoteAddress;

    @Column(nullable = false)
    public int status;

    @Column(nullable = false)
    public String outcome;
}

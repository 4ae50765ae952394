package io.berth.identity.audit;

import io.berth.events.CloudEvent;
import io.berth.events.audit.AuditRecorded;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.ZoneOffset;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Stores every AuditRecorded from berth.audit, once per event id (a redelivery inserts nothing).
 * The offset is committed only after the row is, so a crash re-reads rather than loses.
 */
@ApplicationScoped
public class AuditConsumer {
    private static final Logger LOG = Logger.getLogger(AuditConsumer.class);
    private final String insert;

    AuditConsumer(@ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        // native SQL does not get Hibernate's default schema
        this.insert = "insert into " + schema + ".audit_entry (event_id, at, source, app, team, actor, actor_kind,"
                + " token_id, action, path, remote_address, status, outcome)"
                + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) on conflict (event_id) do nothing";
    }

    @Incoming("audit")
    public Uni<Void> consume(CloudEvent event) {
        // null: a record that was not a readable event (logged by the connector)
        if (event == null || !(event.data() instanceof AuditRecorded audit)) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery(insert)
                        .setParameter(1, clip(event.id(), 100))
                        .setParameter(2, audit.at().atOffset(ZoneOffset.UTC))
                        .setParameter(3, clip(event.source().toString(), 200))
                        .setParameter(4, AuditRecorded.NO_APP.equals(audit.app()) ? null : clip(audit.app(), 100))
                        .setParameter(5, clip(audit.team(), 100))
                        .setParameter(6, clip(audit.actor(), 100))
                        .setParameter(7, clip(audit.actorKind(), 20))
                        .setParameter(8, clip(audit.tokenId(), 100))
                        .setParameter(9, clip(audit.action(), 300))
                        .setParameter(10, clip(audit.path(), 2000))
                        .setParameter(11, clip(audit.remoteAddress(), 100))
                        .setParameter(12, audit.status())
                        .setParameter(13, clip(audit.outcome(), 20))
                        .executeUpdate()))
                // said on every failed try: a record held back for minutes must show why
                .onFailure().invoke(e -> LOG.warnf("audit record %s not stored yet (retrying): %s", event.id(), e))
                // PostgreSQL away for a while: hold this partition and retry, an audit record is not dropped lightly
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).atMost(20)
                .replaceWithVoid();
    }

    /**
     * A record is stored whatever it carries: an overlong field is cut and a NUL (which PostgreSQL
     * refuses in text, and which a hostile path can hold) becomes U+FFFD, never a reason to drop it.
     */
    private static String clip(String value, int max) {
        if (value == null) {
            return null;
        }
        String text = value.indexOf('\0') < 0 ? value : value.replace('\0', '\uFFFD');
        return text.length() <= max ? text : text.substring(0, max);
    }
}

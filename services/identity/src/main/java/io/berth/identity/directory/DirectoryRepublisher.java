package io.berth.identity.directory;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * Republishes the whole directory once after start (retried until Kafka and PostgreSQL both
 * answer; the service is not ready before), then tombstones tokens as they expire. Every service
 * also checks expiry at the time of use, so the sweep only keeps the directory tidy.
 */
@ApplicationScoped
@Readiness
public class DirectoryRepublisher implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(DirectoryRepublisher.class);

    private final DirectorySync directory;
    private final AtomicBoolean republished = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean();

    DirectoryRepublisher(DirectorySync directory) {
        this.directory = directory;
    }

    @Scheduled(every = "2s", delayed = "0s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> republishAfterStart() {
        if (republished.get() || !running.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return directory.republishEverything()
                .invoke(count -> {
                    republished.set(true);
                    LOG.infof("token directory republished: %d records", count);
                })
                .onFailure().invoke(e -> LOG.warnf("token directory not republished yet (retrying): %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .eventually(() -> running.set(false))
                .replaceWithVoid();
    }

    @Scheduled(every = "${berth.identity.directory.expiry-sweep}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tombstoneExpired() {
        if (!republished.get()) {
            return Uni.createFrom().voidItem();
        }
        return directory.tombstoneExpired()
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("tombstoned %d expired token(s)", count);
                    }
                })
                .onFailure().invoke(e -> LOG.warnf("expired tokens not tombstoned yet: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("token directory republished").status(republished.get()).build();
    }
}

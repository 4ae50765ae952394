package io.berth.deploy.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.berth.common.directory.AppOwners;
import io.berth.events.EventCodec;
import io.berth.events.directory.AppOwner;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Keeps the compacted topic berth.app-owners (decision 6) equal to this service's apps: an
 * AppOwner when an app is created, a tombstone when its deletion is asked (from then on only the
 * platform sees it), and, level-triggered, every app whose entry is missing or wrong in the
 * directory on each {@code berth.deploy.app-owners-interval}, the first time just after start. Entries of
 * apps this service does not know are left alone: another deploy service (a test's) may own them.
 */
@ApplicationScoped
public class AppOwnerPublisher {
    private static final Logger LOG = Logger.getLogger(AppOwnerPublisher.class);

    private final AppOwners owners;

    @Channel("app-owners")
    MutinyEmitter<Record<String, String>> emitter;

    AppOwnerPublisher(AppOwners owners) {
        this.owners = owners;
    }

    /** Publishes the app's owner; this service's own directory has it at once, before Kafka echoes it. */
    public Uni<Void> owned(App app) {
        AppOwner owner = new AppOwner(app.name, app.team);
        return emitter.send(Record.of(app.name, json(owner))).invoke(() -> owners.learn(owner));
    }

    /** Publishes the app's tombstone: members of its team no longer see it. */
    public Uni<Void> disowned(String app) {
        owners.forget(app);
        return emitter.send(Record.<String, String>of(app, null));
    }

    /** The first run waits for messaging to be up (it starts after the scheduler) and for the directory to be read. */
    @Scheduled(every = "${berth.deploy.app-owners-interval}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> reconcile() {
        if (!owners.loaded()) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> App.<App>listAll())
                .onItem().transformToMulti(apps -> Multi.createFrom().iterable(List.copyOf(apps)))
                .onItem().transformToUniAndConcatenate(app -> repair(app)
                        .onFailure().invoke(e -> LOG.warnf("could not publish the owner of %s: %s", app.name, e.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> repair(App app) {
        String listed = owners.teamOf(app.name).orElse(null);
        if (app.deleting) {
            return listed == null ? Uni.createFrom().voidItem() : disowned(app.name);
        }
        return app.team.equals(listed) ? Uni.createFrom().voidItem() : owned(app);
    }

    private static String json(AppOwner owner) {
        try {
            return EventCodec.mapper().writeValueAsString(owner);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

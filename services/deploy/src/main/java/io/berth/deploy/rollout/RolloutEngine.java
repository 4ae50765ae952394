package io.berth.deploy.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.deploy.app.App;
import io.berth.deploy.app.DeploymentEvents;
import io.berth.deploy.history.HistoryEntry;
import io.berth.deploy.release.Release;
import io.berth.deploy.release.ReleaseSecrets;
import io.berth.deploy.release.ReleaseSpec;
import io.berth.deploy.runtime.AppRuntime;
import io.berth.deploy.runtime.DesiredApp;
import io.berth.deploy.runtime.Observation;
import io.berth.deploy.runtime.RuntimeInstance;
import io.berth.deploy.runtime.StartRefused;
import io.berth.events.EventData;
import io.berth.events.deployment.RolloutCompleted;
import io.berth.events.deployment.RolloutFailed;
import io.berth.events.deployment.RolloutProgressed;
import io.berth.events.deployment.RolloutStarted;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The reconcile loop of apps (level-triggered, as a Kubernetes controller): every tick, each app's
 * runtime is moved one step toward the app's desired state, and its active rollout is advanced
 * from what the runtime reports: Completed when every instance runs the new template and is Ready,
 * Failed (and rolled back to the previous release) when no new instance became Ready within the
 * release's progress deadline. Everything it needs is in PostgreSQL, so a restarted deploy service
 * simply carries on.
 */
@ApplicationScoped
public class RolloutEngine {
    private static final Logger LOG = Logger.getLogger(RolloutEngine.class);
    static final String SYSTEM = "berth";

    private final AppRuntime runtime;
    private final DeploymentEvents events;
    private final ObjectMapper json;
    private final ReleaseSecrets secrets;
    private final AtomicBoolean running = new AtomicBoolean();
    /** one reconcile per app at a time, or two could both start the same missing instance */
    private final java.util.Set<String> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();

    RolloutEngine(AppRuntime runtime, DeploymentEvents events, ObjectMapper json, ReleaseSecrets secrets) {
        this.runtime = runtime;
        this.secrets = secrets;
        this.events = events;
        this.json = json;
    }

    @Scheduled(every = "${berth.deploy.reconcile-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return Panache.withSession(() -> App.<App>list("targetRelease is not null or deleting = true"))
                .onItem().transformToMulti(apps -> Multi.createFrom().iterable(apps.stream().map(a -> a.name).toList()))
                .onItem().transformToUniAndConcatenate(name -> reconcile(name)
                        .onFailure().invoke(e -> LOG.warnf("reconcile of %s failed: %s", name, e.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid()
                .eventually(() -> running.set(false));
    }

    /** One step for one app; events are published only after the transaction committed. */
    public Uni<Void> reconcile(String appName) {
        if (!inFlight.add(appName)) {
            return Uni.createFrom().voidItem();
        }
        return reconcileNow(appName).eventually(() -> inFlight.remove(appName));
    }

    private Uni<Void> reconcileNow(String appName) {
        List<EventData> published = new ArrayList<>();
        AtomicBoolean deleting = new AtomicBoolean();
        return Panache.withTransaction(() -> App.<App>findById(appName).chain(app -> {
            if (app == null) {
                return Uni.createFrom().voidItem();
            }
            if (app.deleting) {
                deleting.set(true);
                return Uni.createFrom().voidItem();
            }
            if (app.targetRelease == null) {
                return Uni.createFrom().voidItem();
            }
            return Release.of(app.name, app.targetRelease).chain(release -> Rollout.active(app.name).chain(rollout -> {
                ReleaseSpec spec = parse(release);
                DesiredApp desired = new DesiredApp(app.name, app.team, release.version, spec, app.replicas,
                        app.restartSerial, rollout == null ? null : rollout.canaryWeight);
                return runtime.reconcile(desired).chain(observation ->
                        rollout == null ? Uni.createFrom().voidItem() : advance(app, rollout, spec, observation, published))
                        // refused for good: the rollout ends now, not at its deadline
                        .onFailure(StartRefused.class).recoverWithUni(refused -> rollout == null
                                ? Uni.createFrom().failure(refused)
                                : end(app, rollout, refused.getMessage(), published));
            }));
        })).chain(() -> deleting.get() ? delete(appName) : Uni.createFrom().voidItem())
                .chain(() -> events.publishAll(published));
    }

    private Uni<Void> advance(App app, Rollout rollout, ReleaseSpec spec, Observation observation,
            List<EventData> published) {
        OffsetDateTime now = OffsetDateTime.now();
        if (rollout.canaryWeight != null) {
            return advanceCanary(app, rollout, spec, observation, published, now);
        }
        if (observation.complete()) {
            rollout.state = RolloutState.COMPLETED;
            rollout.ready = observation.updatedReady();
            rollout.finishedAt = now;
            rollout.reason = "all " + observation.desired() + " instances of v" + rollout.toRelease + " Ready";
            app.currentRelease = rollout.toRelease;
            app.updatedAt = now;
            published.add(new RolloutCompleted(app.name, rollout.id.toString(), rollout.toRelease));
            return HistoryEntry.record(app.name, HistoryEntry.ROLLOUT, rollout.kind + " to v" + rollout.toRelease
                    + " completed (" + observation.desired() + " Ready)", SYSTEM).replaceWithVoid();
        }
        if (observation.updatedReady() > rollout.ready) {
            rollout.ready = observation.updatedReady();
            rollout.progressAt = now;
            rollout.reason = observation.updatedReady() + " of " + observation.desired() + " new instances Ready";
            published.add(new RolloutProgressed(app.name, rollout.id.toString(), rollout.toRelease,
                    observation.updatedReady(), observation.desired(), rollout.reason));
            return Uni.createFrom().voidItem();
        }
        Duration stalled = Duration.between(rollout.progressAt, now);
        if (stalled.getSeconds() < spec.strategy().progressDeadlineSeconds()) {
            return Uni.createFrom().voidItem();
        }
        return fail(app, rollout, spec, published);
    }

    /**
     * The canary phase: once every canary instance serves, the rollout pauses in CANARY until a
     * user promotes or aborts it; before that, the progress deadline holds as for any rollout.
     */
    private Uni<Void> advanceCanary(App app, Rollout rollout, ReleaseSpec spec, Observation observation,
            List<EventData> published, OffsetDateTime now) {
        if (rollout.state == RolloutState.CANARY) {
            return Uni.createFrom().voidItem();
        }
        if (observation.complete()) {
            rollout.state = RolloutState.CANARY;
            rollout.ready = observation.updatedReady();
            rollout.progressAt = now;
            rollout.reason = "canary: " + observation.desired() + " instance(s) of v" + rollout.toRelease
                    + " serve about " + rollout.canaryWeight + "% of the traffic beside v" + rollout.fromRelease
                    + "; promote or abort";
            published.add(new RolloutProgressed(app.name, rollout.id.toString(), rollout.toRelease,
                    observation.updatedReady(), observation.desired(), rollout.reason));
            return HistoryEntry.record(app.name, HistoryEntry.ROLLOUT, "canary of v" + rollout.toRelease + " serving "
                    + rollout.canaryWeight + "%", SYSTEM).replaceWithVoid();
        }
        if (observation.updatedReady() > rollout.ready) {
            rollout.ready = observation.updatedReady();
            rollout.progressAt = now;
            return Uni.createFrom().voidItem();
        }
        if (Duration.between(rollout.progressAt, now).getSeconds() < spec.strategy().progressDeadlineSeconds()) {
            return Uni.createFrom().voidItem();
        }
        return fail(app, rollout, spec, published);
    }

    /** No progress within the deadline: say why (with the failing instance's last lines) and go back. */
    private Uni<Void> fail(App app, Rollout rollout, ReleaseSpec spec, List<EventData> published) {
        String template = DesiredApp.template(rollout.toRelease, app.restartSerial) + (rollout.canaryWeight != null ? "c" : "");
        return runtime.instances(app.name).chain(instances -> {
            RuntimeInstance failing = instances.stream()
                    .filter(i -> template.equals(i.template()) && !i.ready())
                    .max(Comparator.comparingInt(RuntimeInstance::restarts))
                    .orElse(null);
            Uni<String> logs = failing == null ? Uni.createFrom().item("") : runtime.recentLogs(failing.id(), 10);
            return logs.chain(lines -> {
                String why = "no new instance became Ready within " + spec.strategy().progressDeadlineSeconds()
                        + " s (" + rollout.ready + " of " + rollout.replicas + " Ready)"
                        + (failing == null ? "" : "; instance " + failing.id() + " is " + failing.state()
                                + (failing.reason() == null ? "" : " (" + failing.reason() + ")")
                                + (failing.restarts() > 0 ? ", restarted " + failing.restarts() + " times" : ""))
                        + (lines.isBlank() ? "" : "; its last lines:\n" + lines);
                return end(app, rollout, why, published);
            });
        });
    }

    /** The rollout failed for {@code why}: back to the release before it where there is one. */
    private Uni<Void> end(App app, Rollout rollout, String why, List<EventData> published) {
        rollout.reason = why;
        rollout.finishedAt = OffsetDateTime.now();
        boolean canRollBack = rollout.fromRelease != null && !"rollback".equals(rollout.kind);
        rollout.state = canRollBack ? RolloutState.ROLLED_BACK : RolloutState.FAILED;
        published.add(new RolloutFailed(app.name, rollout.id.toString(), rollout.toRelease, why,
                canRollBack ? rollout.fromRelease : null));
        Uni<?> history = HistoryEntry.record(app.name, HistoryEntry.ROLLOUT,
                rollout.kind + " to v" + rollout.toRelease + " failed: " + firstLine(why), SYSTEM);
        if (!canRollBack) {
            return history.replaceWithVoid();
        }
        app.targetRelease = rollout.fromRelease;
        app.updatedAt = OffsetDateTime.now();
        Rollout back = Rollout.start(app.name, "rollback", rollout.toRelease, rollout.fromRelease, app.replicas);
        back.reason = "automatic rollback: v" + rollout.toRelease + " failed";
        published.add(new RolloutStarted(app.name, back.id.toString(), rollout.toRelease, rollout.fromRelease,
                app.replicas));
        // flush first: the partial unique index allows one active rollout per app
        return history.chain(() -> Panache.getSession().chain(s -> s.flush()))
                .chain(() -> back.persist())
                .chain(() -> HistoryEntry.record(app.name, HistoryEntry.ROLLBACK,
                        "automatic rollback to v" + rollout.fromRelease, SYSTEM))
                .replaceWithVoid();
    }

    /**
     * A deleted app's instances are stopped, then its row goes (its releases, rollouts and history
     * with it, by the schema's cascade). The runtime is called outside any transaction: with one held
     * across the agent's calls, some of 20 parallel deletions never committed and their requests hung.
     */
    private Uni<Void> delete(String appName) {
        return runtime.instances(appName).chain(instances -> {
            if (!instances.isEmpty()) {
                return runtime.remove(appName, 0, 10);
            }
            return Panache.withTransaction(() -> App.delete("name = ?1 and deleting = true", appName)).replaceWithVoid();
        });
    }

    ReleaseSpec parse(Release release) {
        try {
            // the runtime alone gets the secret values in the clear
            return secrets.open(json.readValue(release.spec, ReleaseSpec.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("release v" + release.version + " of " + release.app + " is unreadable", e);
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}

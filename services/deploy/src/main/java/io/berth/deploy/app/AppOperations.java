package io.berth.deploy.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.problem.ProblemException;
import io.berth.deploy.history.HistoryEntry;
import io.berth.deploy.release.Release;
import io.berth.deploy.release.ReleaseSpec;
import io.berth.deploy.rollout.Rollout;
import io.berth.deploy.rollout.RolloutEngine;
import io.berth.deploy.rollout.RolloutState;
import io.berth.deploy.runtime.AppRuntime;
import io.berth.events.EventData;
import io.berth.events.deployment.AppDeleted;
import io.berth.events.deployment.CanaryAborted;
import io.berth.events.deployment.CanaryPromoted;
import io.berth.events.deployment.ReleaseCreated;
import io.berth.events.deployment.RolloutStarted;
import io.berth.events.deployment.Scaled;
import io.berth.events.scaling.ScaleDecided;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every change a user makes to an app: each is one transaction that records the new desired state,
 * a history line and (for releases, rollbacks and restarts) a rollout; events go out after commit
 * and the rollout engine is nudged so the change starts at once instead of at the next tick.
 */
@ApplicationScoped
public class AppOperations {
    /** the actor of the scales the autoscaler decides */
    public static final String AUTOSCALER = "autoscaler";
    private final DeploymentEvents events;
    private final AppOwnerPublisher owners;
    private final RolloutEngine engine;
    private final AppRuntime runtime;
    private final ObjectMapper json;
    private final int maxReplicas;
    private final String recordDecision;

    AppOperations(DeploymentEvents events, AppOwnerPublisher owners, RolloutEngine engine, AppRuntime runtime, ObjectMapper json,
            @ConfigProperty(name = "berth.deploy.max-replicas") int maxReplicas,
            @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        // native SQL does not get Hibernate's default schema
        this.recordDecision = "insert into " + schema + ".scale_decision (decision_id, app) values (?1, ?2) "
                + "on conflict do nothing";
        this.events = events;
        this.owners = owners;
        this.engine = engine;
        this.runtime = runtime;
        this.json = json;
        this.maxReplicas = maxReplicas;
    }

    public Uni<Release> createRelease(String appName, ReleaseSpec requested, String actor) {
        runtime.requireRunnable(requested);
        List<EventData> out = new ArrayList<>();
        return Panache.withTransaction(() -> app(appName).chain(app -> {
            ReleaseSpec spec = requested.withDefaults(app.replicas > 0 ? app.replicas : 1);
            ReleaseSpec.Canary canary = spec.strategy().canary();
            checkReplicas(spec.replicas(), "replicas");
            return Release.<Release>find("app = ?1 order by version desc", app.name).firstResult().chain(latest -> {
                Release release = new Release();
                release.app = app.name;
                release.version = latest == null ? 1 : latest.version + 1;
                release.spec = write(spec);
                release.createdBy = actor;
                release.createdAt = OffsetDateTime.now();
                out.add(new ReleaseCreated(app.name, release.version, spec.replicas(), actor));
                return release.<Release>persist()
                        .chain(() -> HistoryEntry.record(app.name, HistoryEntry.RELEASE, "v" + release.version + " created", actor))
                        .chain(() -> canary != null && app.targetRelease != null
                                // a canary needs an old release to serve beside; a first release just rolls out
                                ? startRollout(app, "canary", release.version, spec.replicas(), actor, out)
                                        .invoke(rollout -> rollout.canaryWeight = canary.weight())
                                : startRollout(app, "release", release.version, spec.replicas(), actor, out))
                        .replaceWith(release);
            });
        })).call(() -> events.publishAll(out)).call(() -> nudge(appName));
    }

    public Uni<Rollout> rollback(String appName, Integer toVersion, String actor) {
        List<EventData> out = new ArrayList<>();
        return Panache.withTransaction(() -> app(appName).chain(app -> {
            Uni<Release> target = toVersion != null ? Release.of(app.name, toVersion)
                    : Release.<Release>find("app = ?1 and version < ?2 order by version desc", app.name,
                            app.targetRelease == null ? Integer.MAX_VALUE : app.targetRelease).firstResult();
            return target.chain(release -> {
                if (release == null) {
                    throw toVersion != null
                            ? ProblemException.invalidField("release", "app '" + app.name + "' has no release v" + toVersion)
                            : ProblemException.conflict("app '" + app.name + "' has no earlier release to roll back to");
                }
                return HistoryEntry.record(app.name, HistoryEntry.ROLLBACK, "rollback to v" + release.version, actor)
                        .chain(() -> startRollout(app, "rollback", release.version, app.replicas, actor, out));
            });
        })).call(() -> events.publishAll(out)).call(() -> nudge(appName));
    }

    public Uni<App> scale(String appName, int replicas, String cause) {
        checkReplicas(replicas, "replicas");
        List<EventData> out = new ArrayList<>();
        // asking for the count the app has is common (scripts, retries): answer it without a transaction
        return Panache.withSession(() -> app(appName)).chain(current -> current.replicas == replicas
                ? Uni.createFrom().item(current)
                : Panache.withTransaction(() -> app(appName).chain(app -> scale(app, replicas, cause, "", out)))
                        .call(() -> publishAndNudge(appName, out)));
    }

    /**
     * Applies an autoscaler decision once, however often it is delivered, and only while the app
     * still has the count the decision was made from: after a user's scale it is stale, and the
     * autoscaler decides again from what it sees next.
     */
    public Uni<Boolean> applyDecision(ScaleDecided decision) {
        List<EventData> out = new ArrayList<>();
        int replicas = Math.min(decision.toReplicas(), maxReplicas);
        String why = ": " + decision.reason() + " (decision " + decision.decisionId() + ")";
        return Panache.withTransaction(() -> App.<App>findById(decision.app()).chain(app -> {
            if (app == null || app.deleting || app.replicas != decision.fromReplicas()) {
                return Uni.createFrom().item(false);
            }
            return Panache.getSession().chain(session -> session.createNativeQuery(recordDecision)
                    .setParameter(1, decision.decisionId()).setParameter(2, decision.app()).executeUpdate())
                    .chain(inserted -> inserted == 0 ? Uni.createFrom().item(false)
                            : scale(app, replicas, AUTOSCALER, why, out).replaceWith(true));
        })).call(() -> publishAndNudge(decision.app(), out));
    }

    /** {@code actor} made the change; {@code why} (may be empty) follows the history line's summary. */
    private Uni<App> scale(App app, int replicas, String actor, String why, List<EventData> out) {
        int from = app.replicas;
        if (from == replicas) {
            return Uni.createFrom().item(app);
        }
        app.replicas = replicas;
        app.updatedAt = OffsetDateTime.now();
        out.add(new Scaled(app.name, from, replicas, actor + why));
        return HistoryEntry.record(app.name, HistoryEntry.SCALE, "scaled from " + from + " to " + replicas + why, actor)
                .chain(() -> Rollout.active(app.name))
                .invoke(active -> {
                    if (active != null) {
                        active.replicas = replicas;
                    }
                })
                .replaceWith(app);
    }

    /** A scale to the current count changed nothing: no events, no reconcile to start. */
    private Uni<Void> publishAndNudge(String appName, List<EventData> out) {
        if (out.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // the answer does not wait for the reconcile: a scale is a change of desired state, and the
        // engine's next tick would make it anyway; the nudge only saves that tick
        return events.publishAll(out).invoke(() -> nudge(appName).subscribe().with(ignored -> { }));
    }

    /** The canary has served well enough: the rolling update to its release goes on, retiring the canary instances too. */
    public Uni<Rollout> promote(String appName, String actor) {
        List<EventData> out = new ArrayList<>();
        return Panache.withTransaction(() -> app(appName).chain(app -> canary(app).chain(rollout -> {
            rollout.canaryWeight = null;
            rollout.state = RolloutState.PROGRESSING;
            rollout.ready = 0;
            rollout.progressAt = OffsetDateTime.now();
            rollout.reason = "canary promoted by " + actor;
            out.add(new CanaryPromoted(app.name, rollout.id.toString(), rollout.toRelease, actor));
            return HistoryEntry.record(app.name, HistoryEntry.ROLLOUT, "canary of v" + rollout.toRelease + " promoted", actor)
                    .replaceWith(rollout);
        }))).call(() -> events.publishAll(out)).call(() -> nudge(appName));
    }

    /** The canary is not good: its instances go and the old release serves alone again. */
    public Uni<Rollout> abort(String appName, String actor) {
        List<EventData> out = new ArrayList<>();
        return Panache.withTransaction(() -> app(appName).chain(app -> canary(app).chain(rollout -> {
            rollout.state = RolloutState.ROLLED_BACK;
            rollout.finishedAt = OffsetDateTime.now();
            rollout.reason = "canary aborted by " + actor;
            out.add(new CanaryAborted(app.name, rollout.id.toString(), rollout.toRelease, rollout.fromRelease, actor));
            int backTo = rollout.fromRelease;
            // flush first: the partial unique index allows one active rollout per app
            return HistoryEntry.record(app.name, HistoryEntry.ROLLBACK, "canary of v" + rollout.toRelease
                            + " aborted, back to v" + backTo, actor)
                    .chain(() -> Panache.getSession().chain(session -> session.flush()))
                    .chain(() -> startRollout(app, "rollback", backTo, app.replicas, actor, out));
        }))).call(() -> events.publishAll(out)).call(() -> nudge(appName));
    }

    private Uni<Rollout> canary(App app) {
        return Rollout.active(app.name).invoke(rollout -> {
            if (rollout == null || rollout.canaryWeight == null) {
                throw ProblemException.conflict("app '" + app.name + "' has no canary in progress");
            }
        });
    }

    /** Replaces every instance, rolling, with the same release: the restart serial is part of the template. */
    public Uni<Rollout> restart(String appName, String actor) {
        List<EventData> out = new ArrayList<>();
        return Panache.withTransaction(() -> app(appName).chain(app -> {
            if (app.targetRelease == null) {
                throw ProblemException.conflict("app '" + app.name + "' has no release to restart");
            }
            app.restartSerial++;
            return HistoryEntry.record(app.name, HistoryEntry.RESTART, "restart of v" + app.targetRelease, actor)
                    .chain(() -> startRollout(app, "restart", app.targetRelease, app.replicas, actor, out));
        })).call(() -> events.publishAll(out)).call(() -> nudge(appName));
    }

    public Uni<Void> delete(String appName, String actor) {
        List<EventData> out = new ArrayList<>();
        return Panache.withTransaction(() -> app(appName).invoke(app -> {
            app.deleting = true;
            app.replicas = 0;
            out.add(new AppDeleted(app.name, app.team));
        })).replaceWithVoid().call(() -> events.publishAll(out))
                // from now on only the platform sees the app; a failed tombstone is repaired by the publisher's reconcile
                .call(() -> owners.disowned(appName).onFailure().recoverWithNull())
                .call(() -> nudge(appName));
    }

    /** A new rollout supersedes the active one (as a new Deployment revision does in Kubernetes). */
    private Uni<Rollout> startRollout(App app, String kind, int toRelease, int replicas, String actor,
            List<EventData> out) {
        return Rollout.active(app.name).chain(active -> {
            Uni<Void> superseded = Uni.createFrom().voidItem();
            if (active != null) {
                active.state = RolloutState.FAILED;
                active.reason = "superseded by a " + kind + " to v" + toRelease;
                active.finishedAt = OffsetDateTime.now();
                superseded = Panache.getSession().chain(s -> s.flush());
            }
            Integer from = app.targetRelease;
            app.targetRelease = toRelease;
            app.replicas = replicas;
            app.updatedAt = OffsetDateTime.now();
            Rollout rollout = Rollout.start(app.name, kind, from, toRelease, replicas);
            out.add(new RolloutStarted(app.name, rollout.id.toString(), from, toRelease, replicas));
            return superseded.chain(() -> rollout.<Rollout>persist());
        });
    }

    private Uni<App> app(String name) {
        return App.<App>findById(name)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("app '" + name + "' does not exist"))
                .invoke(app -> {
                    if (app.deleting) {
                        throw ProblemException.notFound("app '" + name + "' is being deleted");
                    }
                });
    }

    private void checkReplicas(int replicas, String field) {
        if (replicas < 0 || replicas > maxReplicas) {
            throw ProblemException.invalidField(field, "must be between 0 and " + maxReplicas);
        }
    }

    private Uni<Void> nudge(String app) {
        return engine.reconcile(app).onFailure().recoverWithNull();
    }

    private String write(ReleaseSpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.berth.console.readmodel;

import io.berth.events.EventData;
import io.berth.events.deployment.AppCreated;
import io.berth.events.deployment.AppDeleted;
import io.berth.events.deployment.CanaryAborted;
import io.berth.events.deployment.ReleaseCreated;
import io.berth.events.deployment.RolloutCompleted;
import io.berth.events.deployment.RolloutFailed;
import io.berth.events.deployment.RolloutStarted;
import io.berth.events.deployment.Scaled;
import io.berth.events.scaling.ScaleDecided;
import java.time.Instant;

/**
 * What {@code berth.deployments} and {@code berth.scaling} say about one app: its desired replicas,
 * its releases, the rollout under way and the last deploy. Immutable; {@link #apply} is a pure
 * function from one state and one event to the next, so replaying the topic rebuilds it.
 *
 * <p>A deploy that fails with a rollback is followed by a rollout back to the old release (deploy's
 * {@code RolloutFailed(rolledBackTo)} then {@code RolloutStarted(to = rolledBackTo)}; an aborted
 * canary likewise). That rollout is the failure's consequence, not a deploy of its own: it is marked
 * {@link Rollout#rollback()} and the last deploy stays the one that failed.
 *
 * @param replicas       desired instances; null while no event has said
 * @param latestRelease  the newest release stored
 * @param currentRelease the release of the last rollout that completed (what serves)
 * @param targetRelease  the release of the last rollout started (what the app is heading to)
 * @param rollout        the last rollout started, ended or not
 * @param lastDeploy     the last rollout that was not an automatic way back
 * @param rollingBackTo  set by a failure that rolls back, until the rollout back starts
 * @param lastScaling    the autoscaler's last decision
 */
public record AppHistory(String app, String team, Integer replicas, Integer latestRelease, Integer currentRelease,
        Integer targetRelease, Rollout rollout, Deploy lastDeploy, Integer rollingBackTo, Scaling lastScaling) {

    /** One rollout: its id, the release it goes to, whether it is the way back from a failure, its state. */
    public record Rollout(String id, int toRelease, boolean rollback, DeployOutcome outcome, Instant at) {
        Rollout ended(DeployOutcome how, Instant when) {
            return new Rollout(id, toRelease, rollback, how, when);
        }

        public boolean inProgress() {
            return outcome == DeployOutcome.IN_PROGRESS;
        }
    }

    /** The last deploy: the release, how its rollout went and when that was (its start while it runs). */
    public record Deploy(int release, DeployOutcome outcome, Instant at, String rolloutId) {
    }

    /** An autoscaler decision: from and to how many replicas, and why. */
    public record Scaling(int fromReplicas, int toReplicas, String reason, Instant at) {
    }

    public static AppHistory empty(String app) {
        return new AppHistory(app, null, null, null, null, null, null, null, null, null);
    }

    /** The state after {@code event} (published at {@code at}); null when the app was deleted. */
    public static AppHistory apply(AppHistory state, EventData event, Instant at) {
        AppHistory s = state == null ? empty(event.app()) : state;
        if (event instanceof AppCreated created) {
            // a second AppCreated (delivered twice) changes nothing but the team, which it names too
            return s.withTeam(created.team());
        }
        if (event instanceof AppDeleted) {
            return null;
        }
        if (event instanceof ReleaseCreated release) {
            int latest = s.latestRelease == null ? release.release() : Math.max(s.latestRelease, release.release());
            return new AppHistory(s.app, s.team, s.replicas == null ? release.replicas() : s.replicas, latest,
                    s.currentRelease, s.targetRelease, s.rollout, s.lastDeploy, s.rollingBackTo, s.lastScaling);
        }
        if (event instanceof RolloutStarted started) {
            if (s.rollout != null && s.rollout.id().equals(started.rolloutId())) {
                return s; // delivered twice
            }
            boolean rollback = s.rollingBackTo != null && s.rollingBackTo == started.toRelease();
            Rollout rollout = new Rollout(started.rolloutId(), started.toRelease(), rollback, DeployOutcome.IN_PROGRESS, at);
            Deploy deploy = rollback ? s.lastDeploy
                    : new Deploy(started.toRelease(), DeployOutcome.IN_PROGRESS, at, started.rolloutId());
            return new AppHistory(s.app, s.team, started.replicas(), s.latestRelease, s.currentRelease,
                    started.toRelease(), rollout, deploy, null, s.lastScaling);
        }
        if (event instanceof RolloutCompleted completed) {
            return s.ended(completed.rolloutId(), completed.release(), DeployOutcome.COMPLETED, null, at);
        }
        if (event instanceof RolloutFailed failed) {
            DeployOutcome how = failed.rolledBackTo() == null ? DeployOutcome.FAILED : DeployOutcome.ROLLED_BACK;
            return s.ended(failed.rolloutId(), s.currentRelease, how, failed.rolledBackTo(), at);
        }
        if (event instanceof CanaryAborted aborted) {
            return s.ended(aborted.rolloutId(), s.currentRelease, DeployOutcome.ROLLED_BACK, aborted.backTo(), at);
        }
        if (event instanceof Scaled scaled) {
            return new AppHistory(s.app, s.team, scaled.toReplicas(), s.latestRelease, s.currentRelease,
                    s.targetRelease, s.rollout, s.lastDeploy, s.rollingBackTo, s.lastScaling);
        }
        if (event instanceof ScaleDecided decided) {
            return new AppHistory(s.app, s.team, s.replicas, s.latestRelease, s.currentRelease, s.targetRelease,
                    s.rollout, s.lastDeploy, s.rollingBackTo,
                    new Scaling(decided.fromReplicas(), decided.toReplicas(), decided.reason(), at));
        }
        // RolloutProgressed and CanaryPromoted: the rollout goes on, nothing here changes
        return s;
    }

    /**
     * Pure: {@code state} with the gaps that deploy's own answer fills ({@code GET /api/apps}: team,
     * replicas, current and target release), for an app whose events have aged out of the topic.
     * What the events said stays: they are as new as the answer or newer.
     */
    public static AppHistory fillIn(AppHistory state, String app, String team, Integer replicas, Integer currentRelease,
            Integer targetRelease) {
        AppHistory s = state == null ? empty(app) : state;
        boolean released = s.latestRelease != null || s.currentRelease != null || s.targetRelease != null;
        Integer current = released ? s.currentRelease : currentRelease;
        Integer target = released ? s.targetRelease : targetRelease;
        Integer latest = released ? s.latestRelease
                : current == null ? target : target == null ? current : Integer.valueOf(Math.max(current, target));
        return new AppHistory(app, s.team != null ? s.team : team, s.replicas != null ? s.replicas : replicas, latest,
                current, target, s.rollout, s.lastDeploy, s.rollingBackTo, s.lastScaling);
    }

    private AppHistory withTeam(String newTeam) {
        return new AppHistory(app, newTeam, replicas, latestRelease, currentRelease, targetRelease, rollout, lastDeploy,
                rollingBackTo, lastScaling);
    }

    /** The rollout {@code id} ended {@code how}; {@code serving} is the release that serves now. */
    private AppHistory ended(String id, Integer serving, DeployOutcome how, Integer backTo, Instant at) {
        Rollout endedRollout = rollout;
        Deploy deploy = lastDeploy;
        if (rollout != null && rollout.id().equals(id)) {
            endedRollout = rollout.ended(how, at);
            if (rollout.rollback() && how != DeployOutcome.COMPLETED && deploy != null) {
                // the way back failed too: nothing good serves
                deploy = new Deploy(deploy.release(), DeployOutcome.FAILED, at, deploy.rolloutId());
            }
        }
        if (deploy != null && deploy.rolloutId().equals(id)) {
            deploy = new Deploy(deploy.release(), how, at, id);
        }
        return new AppHistory(app, team, replicas, latestRelease, serving, targetRelease, endedRollout, deploy, backTo,
                lastScaling);
    }
}

package io.berth.console.overview;

import com.fasterxml.jackson.annotation.JsonValue;
import io.berth.console.readmodel.AppHistory;
import io.berth.console.readmodel.AppInstances;
import io.berth.console.readmodel.DeployOutcome;
import java.util.Locale;

/** An app's state at a glance, as the apps page shows it. */
public enum AppStatus {
    /** no release yet */
    NEW,
    /** a deploy's rollout is under way */
    DEPLOYING,
    /** every desired instance is Ready */
    RUNNING,
    /** fewer instances Ready than desired, with no rollout under way */
    DEGRADED,
    /** the last deploy failed or was rolled back (also while the rollout back runs) */
    FAILED,
    /** scaled to zero */
    STOPPED;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Pure: the status of an app with this history (null: none known) and these instances. */
    public static AppStatus of(AppHistory history, AppInstances.Counts instances) {
        boolean released = history != null && (history.latestRelease() != null || history.targetRelease() != null
                || history.currentRelease() != null);
        if (!released && instances.total() == 0) {
            return NEW;
        }
        if (history != null && history.rollout() != null && history.rollout().inProgress()) {
            return history.rollout().rollback() ? FAILED : DEPLOYING;
        }
        Integer replicas = history == null ? null : history.replicas();
        if (replicas != null && replicas == 0) {
            return STOPPED;
        }
        if (history != null && history.lastDeploy() != null) {
            DeployOutcome outcome = history.lastDeploy().outcome();
            if (outcome == DeployOutcome.FAILED || outcome == DeployOutcome.ROLLED_BACK) {
                return FAILED;
            }
        }
        int wanted = replicas != null ? replicas : instances.total();
        return instances.ready() < wanted ? DEGRADED : RUNNING;
    }
}

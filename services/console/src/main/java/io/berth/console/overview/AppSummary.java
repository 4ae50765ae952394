package io.berth.console.overview;

import io.berth.console.readmodel.AppHistory;
import io.berth.console.readmodel.AppInstances;
import io.berth.console.readmodel.DeployOutcome;
import io.berth.console.readmodel.MetricPoint;
import java.time.Instant;

/**
 * One row of the apps page. The traffic fields are over the last 30 seconds and null when the gateway
 * has sent no sample for the app in that time.
 */
public record AppSummary(String name, String team, AppStatus status, Integer currentRelease, Integer targetRelease,
        Integer replicas, int instancesReady, int instancesTotal, Double requestsPerSecond, Double errorRate,
        Double latencyMillis, LastDeploy lastDeploy, LastScaling lastScaling) {

    /** The last deploy: its release, how it went, and when (its start while it runs, else its end). */
    public record LastDeploy(int release, DeployOutcome outcome, Instant at) {
    }

    /** The autoscaler's last decision for the app. */
    public record LastScaling(int fromReplicas, int toReplicas, String reason, Instant at) {
    }

    /** Pure: the row of an app from what the read models know of it ({@code history} may be null). */
    public static AppSummary of(String name, String team, AppHistory history, AppInstances.Counts instances,
            MetricPoint traffic) {
        AppHistory.Deploy deploy = history == null ? null : history.lastDeploy();
        AppHistory.Scaling scaling = history == null ? null : history.lastScaling();
        return new AppSummary(name, team, AppStatus.of(history, instances),
                history == null ? null : history.currentRelease(),
                history == null ? null : history.targetRelease(),
                history == null ? null : history.replicas(),
                instances.ready(), instances.total(),
                traffic == null ? null : traffic.requestsPerSecond(),
                traffic == null ? null : traffic.errorRate(),
                traffic == null ? null : traffic.latencyMillis(),
                deploy == null ? null : new LastDeploy(deploy.release(), deploy.outcome(), deploy.at()),
                scaling == null ? null : new LastScaling(scaling.fromReplicas(), scaling.toReplicas(), scaling.reason(),
                        scaling.at()));
    }
}

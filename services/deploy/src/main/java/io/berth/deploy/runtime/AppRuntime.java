package io.berth.deploy.runtime;

import io.berth.deploy.release.ReleaseSpec;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Where instances run: the embedded agent or Kubernetes. The rollout engine calls
 * {@link #reconcile} again and again (level-triggered): each call moves the app one safe step
 * toward the desired state, honouring the release's maxSurge and maxUnavailable, and reports where
 * it stands.
 */
public interface AppRuntime {

    /** Refuses, with a problem naming the field, a release this runtime cannot run. */
    void requireRunnable(ReleaseSpec spec);

    Uni<Observation> reconcile(DesiredApp desired);

    Uni<List<RuntimeInstance>> instances(String app);

    /** Stops every instance of the app (gracefully) and removes what the runtime holds for it. */
    Uni<Void> remove(String app, int drainSeconds, int gracePeriodSeconds);

    /** The last lines an instance printed, for a failed rollout's report. */
    Uni<String> recentLogs(String instanceId, int lines);
}

package io.berth.deploy.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The next safe step of a rolling update or scale, computed from what runs now: a pure function,
 * so every rule is tested without processes. Like a Kubernetes Deployment, at most
 * replicas + maxSurge instances exist, at least replicas - maxUnavailable are Ready, and with
 * maxUnavailable 0 an old instance is retired only once a new one is Ready in its place.
 */
public record RollingPlan(int toStart, List<RuntimeInstance> toStop, Observation observation) {

    public static RollingPlan next(int replicas, int maxSurge, int maxUnavailable, String template,
            List<RuntimeInstance> instances) {
        List<RuntimeInstance> live = instances.stream().filter(i -> !i.terminating()).toList();
        List<RuntimeInstance> current = live.stream().filter(i -> template.equals(i.template())).toList();
        List<RuntimeInstance> old = live.stream().filter(i -> !template.equals(i.template())).toList();
        int currentReady = (int) current.stream().filter(RuntimeInstance::ready).count();
        int oldReady = (int) old.stream().filter(RuntimeInstance::ready).count();
        Observation observation = new Observation(replicas, current.size(), currentReady, old.size());

        List<RuntimeInstance> toStop = new ArrayList<>();
        int toStart;
        if (old.isEmpty()) {
            toStart = Math.max(0, replicas - current.size());
            // scale down: the not-Ready first, then the newest
            current.stream().sorted(RETIRE_ORDER).limit(Math.max(0, current.size() - replicas)).forEach(toStop::add);
            return new RollingPlan(toStart, toStop, observation);
        }

        int room = replicas + maxSurge - live.size();
        toStart = Math.max(0, Math.min(replicas - current.size(), room));
        // an update that also shrinks: surplus new instances go first
        current.stream().sorted(RETIRE_ORDER).limit(Math.max(0, current.size() - replicas)).forEach(toStop::add);

        // old instances that are not Ready serve nobody: they may always go
        old.stream().filter(i -> !i.ready()).forEach(toStop::add);
        int minAvailable = Math.max(0, replicas - maxUnavailable);
        int canRetire = Math.max(0, currentReady + oldReady - minAvailable);
        old.stream().filter(RuntimeInstance::ready).sorted(RETIRE_ORDER).limit(canRetire).forEach(toStop::add);
        return new RollingPlan(toStart, toStop, observation);
    }

    /**
     * The canary phase: {@code instances} of the canary template beside the old instances, which
     * are left as they are. Complete once every canary instance is Ready.
     */
    public static RollingPlan canary(int instances, String template, List<RuntimeInstance> all) {
        List<RuntimeInstance> canaries = all.stream().filter(i -> !i.terminating() && template.equals(i.template())).toList();
        int ready = (int) canaries.stream().filter(RuntimeInstance::ready).count();
        List<RuntimeInstance> toStop = canaries.stream().sorted(RETIRE_ORDER)
                .limit(Math.max(0, canaries.size() - instances)).toList();
        return new RollingPlan(Math.max(0, instances - canaries.size()), toStop,
                new Observation(instances, canaries.size(), ready, 0));
    }

    private static final Comparator<RuntimeInstance> RETIRE_ORDER =
            Comparator.comparing(RuntimeInstance::ready).thenComparing(RuntimeInstance::id, Comparator.reverseOrder());
}

package io.berth.deploy.runtime.kubernetes;

import io.berth.deploy.runtime.Observation;
import io.berth.deploy.runtime.RuntimeInstance;
import io.berth.events.instance.InstanceState;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What Berth makes of a pod: the instance state (Kubernetes' phase plus readiness, in Berth's
 * vocabulary) and, over all of an app's pods, how far the rollout has come. Pure functions.
 */
public final class PodStates {
    private PodStates() {
    }

    public static InstanceState state(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return InstanceState.TERMINATING;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (phase == null || "Pending".equals(phase) || "Unknown".equals(phase)) {
            return scheduled(pod) ? InstanceState.STARTING : InstanceState.PENDING;
        }
        return switch (phase) {
            case "Succeeded" -> InstanceState.TERMINATED;
            case "Failed" -> InstanceState.FAILED;
            default -> ready(pod) ? InstanceState.READY : everReady(pod) ? InstanceState.UNREADY : InstanceState.RUNNING;
        };
    }

    public static boolean ready(Pod pod) {
        return condition(pod, "Ready") != null && "True".equals(condition(pod, "Ready").getStatus());
    }

    /** A running pod that has no Ready=True but has had one: it was serving and stopped passing its probe. */
    private static boolean everReady(Pod pod) {
        PodCondition ready = condition(pod, "Ready");
        return ready != null && "False".equals(ready.getStatus()) && "ReadinessProbeFailed".equals(ready.getReason());
    }

    private static boolean scheduled(Pod pod) {
        PodCondition scheduled = condition(pod, "PodScheduled");
        return scheduled != null && "True".equals(scheduled.getStatus());
    }

    private static PodCondition condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static RuntimeInstance instance(Pod pod) {
        Map<String, String> labels = labels(pod);
        InstanceState state = state(pod);
        List<ContainerStatus> statuses = pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null
                ? List.of() : pod.getStatus().getContainerStatuses();
        int restarts = statuses.stream().mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
        String reason = statuses.stream()
                .map(s -> s.getState() == null || s.getState().getWaiting() == null ? null : s.getState().getWaiting().getReason())
                .filter(Objects::nonNull).findFirst()
                .orElse(pod.getStatus() == null ? null : pod.getStatus().getReason());
        return new RuntimeInstance(pod.getMetadata().getName(), release(pod), labels.getOrDefault(KubernetesManifests.TEMPLATE_LABEL, ""),
                state.name(), state == InstanceState.READY,
                state == InstanceState.TERMINATING || state == InstanceState.TERMINATED,
                pod.getStatus() == null ? null : pod.getStatus().getPodIP(), port(pod), restarts, reason);
    }

    /** Counted as the Deployment controller counts: pods on their way out are not serving. */
    public static Observation observe(int desired, String template, List<Pod> pods) {
        int updated = 0;
        int updatedReady = 0;
        int old = 0;
        for (Pod pod : pods) {
            InstanceState state = state(pod);
            if (state == InstanceState.TERMINATING || state == InstanceState.TERMINATED || state == InstanceState.FAILED) {
                continue;
            }
            if (template.equals(labels(pod).get(KubernetesManifests.TEMPLATE_LABEL))) {
                updated++;
                if (state == InstanceState.READY) {
                    updatedReady++;
                }
            } else {
                old++;
            }
        }
        return new Observation(desired, updated, updatedReady, old);
    }

    public static int release(Pod pod) {
        try {
            return Integer.parseInt(labels(pod).getOrDefault(KubernetesManifests.RELEASE_LABEL, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static int port(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return 0;
        }
        return pod.getSpec().getContainers().stream()
                .filter(c -> c.getPorts() != null)
                .flatMap(c -> c.getPorts().stream())
                .filter(p -> KubernetesManifests.PORT_NAME.equals(p.getName()))
                .map(ContainerPort::getContainerPort).filter(Objects::nonNull)
                .findFirst().orElse(0);
    }

    private static Map<String, String> labels(Pod pod) {
        return pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    }
}

package io.berth.registrar.runtime;

import io.berth.events.instance.InstanceState;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Map;
import java.util.Objects;

/**
 * A pod as a runtime instance, read the way the deploy service's Kubernetes runtime writes it
 * (labels berth.io/app, release, team; the container port named "http"). The state is the pod's
 * phase plus its Ready condition; a deletion timestamp means Terminating, so a pod leaves the
 * registry as soon as Kubernetes starts deleting it. Pure.
 */
public final class PodInstances {
    public static final String APP_LABEL = "berth.io/app";
    static final String PORT_NAME = "http";

    private PodInstances() {
    }

    public static RuntimeInstance instance(Pod pod) {
        Map<String, String> labels = new java.util.HashMap<>(
                pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels());
        // a label value cannot hold a path: the readiness probe says it
        readinessPath(pod).ifPresent(path -> labels.put(RuntimeInstance.HEALTH_PATH_LABEL, path));
        return new RuntimeInstance(pod.getMetadata().getName(), labels.get(APP_LABEL),
                labels.get(RuntimeInstance.TEAM_LABEL), release(labels), state(pod),
                pod.getStatus() == null ? null : pod.getStatus().getPodIP(), port(pod),
                pod.getStatus() == null ? null : pod.getStatus().getReason(), labels, version(pod));
    }

    static InstanceState state(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            return InstanceState.TERMINATING;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if (phase == null || "Pending".equals(phase) || "Unknown".equals(phase)) {
            return "True".equals(condition(pod, "PodScheduled")) ? InstanceState.STARTING : InstanceState.PENDING;
        }
        return switch (phase) {
            case "Succeeded" -> InstanceState.TERMINATED;
            case "Failed" -> InstanceState.FAILED;
            default -> "True".equals(condition(pod, "Ready")) ? InstanceState.READY
                    : "False".equals(condition(pod, "Ready")) && everReady(pod) ? InstanceState.UNREADY
                    : InstanceState.RUNNING;
        };
    }

    private static boolean everReady(Pod pod) {
        return pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "ReadinessProbeFailed".equals(c.getReason()));
    }

    private static String condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
                .map(PodCondition::getStatus).findFirst().orElse(null);
    }

    static int port(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return 0;
        }
        return pod.getSpec().getContainers().stream()
                .filter(c -> c.getPorts() != null)
                .flatMap(c -> c.getPorts().stream())
                .filter(p -> PORT_NAME.equals(p.getName()))
                .map(ContainerPort::getContainerPort).filter(Objects::nonNull)
                .findFirst().orElse(0);
    }

    private static java.util.Optional<String> readinessPath(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return java.util.Optional.empty();
        }
        return pod.getSpec().getContainers().stream()
                .map(c -> c.getReadinessProbe() == null ? null : c.getReadinessProbe().getHttpGet())
                .filter(java.util.Objects::nonNull)
                .map(io.fabric8.kubernetes.api.model.HTTPGetAction::getPath)
                .filter(java.util.Objects::nonNull)
                .findFirst();
    }

    private static int release(Map<String, String> labels) {
        try {
            return Integer.parseInt(labels.getOrDefault(RuntimeInstance.RELEASE_LABEL, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** resourceVersion orders a pod's changes (etcd's revision; opaque to clients, numeric in practice). */
    private static long version(Pod pod) {
        try {
            return Long.parseLong(Objects.requireNonNullElse(pod.getMetadata().getResourceVersion(), "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

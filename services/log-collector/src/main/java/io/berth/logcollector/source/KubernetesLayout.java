package io.berth.logcollector.source;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The kubelet's layout, {@code /var/log/pods/<namespace>_<pod>_<uid>/<container>/<n>.log}, when the
 * collector runs as a DaemonSet. Metadata comes from the path: the instance is the pod, the app is
 * the pod name without the ReplicaSet and pod suffixes that a Deployment adds
 * ({@code <app>-<hash>-<id>}), the release is unknown (0) and the team is the namespace.
 */
public final class KubernetesLayout implements LogLayout {

    @Override
    public int depth() {
        return 3;
    }

    @Override
    public Optional<InstanceInfo> identify(Path logDir, Path file) {
        Path relative = logDir.relativize(file);
        String name = file.getFileName().toString();
        if (relative.getNameCount() != 3 || !name.endsWith(".log")) {
            return Optional.empty();
        }
        String[] pod = relative.getName(0).toString().split("_");
        if (pod.length != 3) {
            return Optional.empty();
        }
        String app = appOf(pod[1]);
        return LogLayout.isTopicSafe(app) ? Optional.of(new InstanceInfo(app, pod[0], pod[1], 0)) : Optional.empty();
    }

    /** {@code hello-7d9f8b6c5-x2x9k} is app {@code hello}; a name without two suffixes is its own app. */
    static String appOf(String podName) {
        String[] parts = podName.split("-");
        if (parts.length < 3) {
            return podName;
        }
        return podName.substring(0, podName.length() - parts[parts.length - 1].length()
                - parts[parts.length - 2].length() - 2);
    }
}

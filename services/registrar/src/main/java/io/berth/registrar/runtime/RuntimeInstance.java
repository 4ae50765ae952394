package io.berth.registrar.runtime;

import io.berth.events.instance.InstanceState;
import java.util.Map;

/**
 * An instance as a runtime (the agent, or Kubernetes) reports it: the registrar's input.
 * {@code version} orders the changes of one runtime, so an older report never overwrites a newer one.
 */
public record RuntimeInstance(String id, String app, String team, int release, InstanceState state, String host,
        int port, String reason, Map<String, String> labels, long version) {

    public static final String TEAM_LABEL = "berth.io/team";
    public static final String RELEASE_LABEL = "berth.io/release";
    /** an optional HAProxy/SRV weight (0 to 256); a canary gets a smaller one than the stable release */
    public static final String WEIGHT_LABEL = "berth.io/weight";
    /** the path of an HTTP health check, for the gateway's own checks (absent: a TCP check) */
    public static final String HEALTH_PATH_LABEL = "berth.io/health-path";

    public RuntimeInstance {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}

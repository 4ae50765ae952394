package io.berth.deploy.runtime;

import io.berth.deploy.runtime.agent.AgentRuntime;
import io.berth.deploy.runtime.kubernetes.KubernetesRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Picks the runtime named by {@code berth.deploy.runtime}: {@code agent} (the embedded runtime,
 * default) or {@code kubernetes}. The other one is never created.
 */
@ApplicationScoped
public class RuntimeSelection {
    public static final String AGENT = "agent";
    public static final String KUBERNETES = "kubernetes";

    @Produces
    @ApplicationScoped
    AppRuntime runtime(@ConfigProperty(name = "berth.deploy.runtime") String runtime, Instance<AgentRuntime> agent,
            Instance<KubernetesRuntime> kubernetes) {
        return switch (runtime) {
            case AGENT -> agent.get();
            case KUBERNETES -> kubernetes.get();
            default -> throw new IllegalStateException("berth.deploy.runtime (BERTH_DEPLOY_RUNTIME) is '" + runtime
                    + "': it must be '" + AGENT + "' or '" + KUBERNETES + "'");
        };
    }
}

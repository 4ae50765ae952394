package io.berth.deploy;

import io.berth.common.testing.PackagedAgent;
import java.util.Map;

/** A second packaged agent, on the container runtime, for the image releases of {@link ImageReleaseTest}. */
public class ContainerAgent extends PackagedAgent {
    public ContainerAgent() {
        super("agent-containers", 32800, 32899);
    }

    /**
     * The deploy service's agent client is pointed at this agent itself: the module's process agent
     * (a test resource for every class) sets berth.agent.url too, and which of the two wins is not defined.
     */
    @Override
    public Map<String, String> start() {
        Map<String, String> config = new java.util.HashMap<>(super.start());
        config.put("quarkus.rest-client.agent.url", config.get("berth.agent.url"));
        return config;
    }

    @Override
    protected Map<String, String> runtime() {
        // the loopback registry's address comes from berth.env (BERTH_AGENT_CONTAINER_INSECURE_REGISTRIES)
        return Map.of("BERTH_AGENT_RUNTIME", "container",
                "BERTH_AGENT_CONTAINER_CGROUP_PARENT", "/berth-deploy-test");
    }
}

package io.berth.agent;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The agent on its container runtime, as it runs on the platform: every instance a podman container. */
public class ContainerRuntimeProfile implements QuarkusTestProfile {
    /** a port of the host that instances may reach (the gateway's, on the platform) */
    static final int OPEN_HOST_PORT = 19990;
    /** a port of the host that instances must not reach */
    static final int CLOSED_HOST_PORT = 19991;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("berth.agent.runtime", "container",
                "berth.agent.container.open-host-ports", Integer.toString(OPEN_HOST_PORT));
    }
}

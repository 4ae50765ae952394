package io.berth.agent;

import io.berth.common.access.PlatformOnly;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * What this node offers to instances: cores, memory, where instances live, which ports they get and
 * what runs and isolates them.
 * Internal to the platform, like the instance API.
 */
@Path("/api/node")
@PlatformOnly
public class NodeResource {

    public record Node(String hostname, int cpus, long maxMemoryBytes, long totalMemoryBytes, String dataDir,
            int portRangeStart, int portRangeEnd, String runtime) {
    }

    private final AgentConfig config;
    private final io.berth.agent.instance.Supervisor supervisor;

    NodeResource(AgentConfig config, io.berth.agent.instance.Supervisor supervisor) {
        this.config = config;
        this.supervisor = supervisor;
    }

    @GET
    public Node node() throws UnknownHostException {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return new Node(InetAddress.getLocalHost().getHostName(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory(), os.getTotalMemorySize(), config.dataDir().toAbsolutePath().toString(),
                config.portRangeStart(), config.portRangeEnd(), supervisor.runtimeDescription());
    }
}

package io.berth.common.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real agent (services/agent, as packaged) on a free port with a fresh data directory under
 * target/, for the tests of a sibling service module; started once per test run. Each module
 * gives its own instance port range, below Linux's ephemeral range (32768-60999), where a port
 * can be taken by any outgoing connection between the agent's choice and the instance's bind.
 */
public abstract class PackagedAgent implements QuarkusTestResourceLifecycleManager {
    static final Path JAR = Path.of("../agent/target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize();
    private final Path data;
    private final int portRangeStart;
    private final int portRangeEnd;
    private final String name;
    private ServiceProcess agent;

    protected PackagedAgent(int portRangeStart, int portRangeEnd) {
        this("agent", portRangeStart, portRangeEnd);
    }

    /** {@code name} names its data directory and log under target/, so that two agents of one module never meet. */
    protected PackagedAgent(String name, int portRangeStart, int portRangeEnd) {
        this.name = name;
        this.data = Path.of("target/" + name + "-data").toAbsolutePath();
        this.portRangeStart = portRangeStart;
        this.portRangeEnd = portRangeEnd;
    }

    /**
     * The agent's runtime settings: these suites' releases are host commands (java -jar <a path in the
     * checkout>), so the process runtime; the container runtime has tests of its own (ContainerInstancesTest,
     * AgentRestartIT) and a subclass may choose it.
     */
    protected Map<String, String> runtime() {
        return Map.of("BERTH_AGENT_RUNTIME", "process");
    }

    @Override
    public Map<String, String> start() {
        try {
            if (Files.exists(data)) {
                try (Stream<Path> walk = Files.walk(data)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Map<String, String> env = new java.util.HashMap<>(Map.of(
                    "BERTH_AGENT_DATA_DIR", data.toString(),
                    "BERTH_AGENT_PORT_RANGE_START", Integer.toString(portRangeStart),
                    "BERTH_AGENT_PORT_RANGE_END", Integer.toString(portRangeEnd),
                    "BERTH_AGENT_STOP_INSTANCES_ON_SHUTDOWN", "true"));
            env.putAll(runtime());
            agent = ServiceProcess.start(JAR, ServiceProcess.freePort(), env, Path.of("target/" + name + ".log"),
                    "/q/health/live");
            return Map.of("berth.agent.url", agent.url());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the agent from " + JAR, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (agent != null) {
            try {
                agent.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package io.berth.deploy;

import io.berth.common.testing.ServiceProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real agent (services/agent, as packaged) on a free port with its own data directory, for
 * the deploy service's tests: releases run as real processes. Started once per test run.
 */
public class AgentProcess implements QuarkusTestResourceLifecycleManager {
    static final Path JAR = Path.of("../agent/target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize();
    static final Path DATA = Path.of("target/agent-data").toAbsolutePath();
    private ServiceProcess agent;

    @Override
    public Map<String, String> start() {
        try {
            if (Files.exists(DATA)) {
                try (Stream<Path> walk = Files.walk(DATA)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            agent = ServiceProcess.start(JAR, ServiceProcess.freePort(), Map.of(
                    "BERTH_AGENT_DATA_DIR", DATA.toString(),
                    "BERTH_AGENT_PORT_RANGE_START", "32000",
                    "BERTH_AGENT_PORT_RANGE_END", "32700",
                    "BERTH_AGENT_STOP_INSTANCES_ON_SHUTDOWN", "true"), Path.of("target/agent.log"), "/q/health/live");
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

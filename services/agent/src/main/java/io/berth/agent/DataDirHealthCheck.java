package io.berth.agent;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The agent can run nothing without a writable place for instance directories and log files. */
@Readiness
@ApplicationScoped
public class DataDirHealthCheck implements HealthCheck {
    private final AgentConfig config;

    DataDirHealthCheck(AgentConfig config) {
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        Path dir = config.dataDir().toAbsolutePath();
        var response = HealthCheckResponse.named("agent data directory").withData("path", dir.toString());
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".probe", "");
            Files.delete(probe);
            return response.up().withData("usableBytes", Files.getFileStore(dir).getUsableSpace()).build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}

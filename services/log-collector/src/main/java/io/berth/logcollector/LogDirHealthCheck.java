package io.berth.logcollector;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Files;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the log directory can be read and the tailer thread runs (Kafka has its own check). */
@Readiness
@ApplicationScoped
public class LogDirHealthCheck implements HealthCheck {
    private final LogCollector collector;

    LogDirHealthCheck(LogCollector collector) {
        this.collector = collector;
    }

    @Override
    public HealthCheckResponse call() {
        var dir = collector.config().logDir();
        boolean readable = Files.isDirectory(dir) && Files.isReadable(dir) && Files.isExecutable(dir);
        boolean tailing = collector.tailing();
        return HealthCheckResponse.named("log directory").status(readable && tailing)
                .withData("dir", dir.toString()).withData("readable", readable).withData("tailing", tailing).build();
    }
}

package io.berth.common.directory;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** DOWN until every directory has read its topic to the end it saw at start: before that, valid tokens would be refused. */
@Readiness
@ApplicationScoped
public class DirectoriesReadiness implements HealthCheck {
    static final String NAME = "Berth directories (berth.identity, berth.app-owners)";

    private final Directories directories;

    DirectoriesReadiness(Directories directories) {
        this.directories = directories;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up();
        if (!directories.enabled()) {
            return response.withData("enabled", false).build();
        }
        for (CompactedTopicDirectory<?> directory : directories.all()) {
            response.withData(directory.topic(), directory.loaded() ? directory.size() + " entries" : "loading");
            if (!directory.loaded()) {
                response.down();
            }
        }
        return response.build();
    }
}

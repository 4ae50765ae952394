package io.berth.console.readmodel;

import io.berth.console.ConsoleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the read models have caught up with the topics: before that the overview would be short. */
@Readiness
@ApplicationScoped
public class ReadModelsReadiness implements HealthCheck {
    private final ReadModels models;
    private final ConsoleConfig config;

    ReadModelsReadiness(ReadModels models, ConsoleConfig config) {
        this.models = models;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("console read models")
                .status(!config.readModel().enabled() || models.isCaughtUp())
                .withData("apps", models.apps().size())
                .build();
    }
}

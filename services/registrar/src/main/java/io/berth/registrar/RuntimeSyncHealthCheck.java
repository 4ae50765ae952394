package io.berth.registrar;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the runtime's full list has arrived: before that the registrar knows no instance,
 * and its API would answer that no app has any.
 */
@Readiness
@ApplicationScoped
public class RuntimeSyncHealthCheck implements HealthCheck {
    private final Registrar registrar;

    RuntimeSyncHealthCheck(Registrar registrar) {
        this.registrar = registrar;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Runtime instances synced");
        registrar.lastReconcile().ifPresent(at -> response.withData("lastReconcile", at.toString()));
        return registrar.synced() ? response.up().build() : response.down().build();
    }
}

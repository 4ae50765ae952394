package io.berth.gateway.haproxy;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The gateway is ready only while HAProxy answers on its admin socket. */
@Readiness
@ApplicationScoped
public class HaproxyHealthCheck implements HealthCheck {
    private final HaproxyRuntimeApi haproxy;

    HaproxyHealthCheck(HaproxyRuntimeApi haproxy) {
        this.haproxy = haproxy;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("HAProxy runtime API");
        try {
            Map<String, String> info = haproxy.info();
            return response.up().withData("version", info.get("Version"))
                    .withData("uptimeSeconds", info.getOrDefault("Uptime_sec", "?")).build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}

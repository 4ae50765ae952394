package io.berth.registrar.dns;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the registry zone's primary server answers for the zone. */
@Readiness
@ApplicationScoped
public class DnsHealthCheck implements HealthCheck {
    private final DnsZone dns;

    DnsHealthCheck(DnsZone dns) {
        this.dns = dns;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("DNS registry zone").withData("zone", dns.zone().toString());
        try {
            return response.up().withData("serial", dns.serial()).build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}

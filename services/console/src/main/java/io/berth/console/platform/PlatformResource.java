package io.berth.console.platform;

import io.berth.common.access.PlatformOnly;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /api/console/platform}: the readiness of every Berth service, for the platform admin. */
@Path("/api/console/platform")
public class PlatformResource {
    private final PlatformHealth health;

    PlatformResource(PlatformHealth health) {
        this.health = health;
    }

    @GET
    @PlatformOnly
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Whether each Berth service is ready (platform admin only)")
    public List<PlatformHealth.ServiceStatus> services() {
        return health.check();
    }
}

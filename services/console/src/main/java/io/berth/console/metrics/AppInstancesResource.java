package io.berth.console.metrics;

import io.berth.console.readmodel.AppInstances;
import io.berth.console.readmodel.ReadModels;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

/**
 * {@code GET /api/console/apps/{app}/instances}: each instance of the app that is there, its state
 * and its last CPU and memory sample, from the read models (the instances table of the app page).
 */
@Path("/api/console/apps/{app}/instances")
public class AppInstancesResource {
    private final ReadModels models;
    private final KnownApps known;

    AppInstancesResource(ReadModels models, KnownApps known) {
        this.models = models;
        this.known = known;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The app's instances with their state and last CPU and memory sample")
    public List<AppInstances.Instance> instances(@RestPath String app) {
        known.require(app);
        return models.instances(app);
    }
}

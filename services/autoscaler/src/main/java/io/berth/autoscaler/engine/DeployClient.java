package io.berth.autoscaler.engine;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.berth.common.auth.ServiceTokenHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The deploy service's view of an app: how many replicas it has now, and its release's resources. */
@Path("/api/apps")
@RegisterRestClient(configKey = "deploy")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Produces(MediaType.APPLICATION_JSON)
public interface DeployClient {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record App(String name, int replicas, Integer currentRelease, Integer targetRelease) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Release(int version, Spec spec) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Spec(Resources resources) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Resources(Integer cpuMillis, Integer memoryMiB) {
    }

    @GET
    @Path("/{app}")
    Uni<App> app(@PathParam("app") String app);

    @GET
    @Path("/{app}/releases/{version}")
    Uni<Release> release(@PathParam("app") String app, @PathParam("version") int version);
}

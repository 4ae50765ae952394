package io.berth.deploy.runtime.agent;

import io.berth.common.auth.ServiceTokenHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The embedded agent's instance API (services/agent), called with the service token. */
@Path("/api/instances")
@RegisterRestClient(configKey = "agent")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface AgentClient {

    /** An instance as the agent reports it (only the fields the deploy service reads; a newer agent may add more). */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    record AgentInstance(String id, String app, int release, String state, String host, int port, int restarts,
            String reason, Map<String, String> labels) {
    }

    @GET
    Uni<List<AgentInstance>> list(@QueryParam("app") String app);

    @POST
    Uni<AgentInstance> start(Map<String, Object> spec);

    @DELETE
    @Path("/{id}")
    Uni<AgentInstance> stop(@PathParam("id") String id, @QueryParam("drainSeconds") int drainSeconds,
            @QueryParam("gracePeriodSeconds") int gracePeriodSeconds);

    @GET
    @Path("/{id}/log")
    @Produces(MediaType.TEXT_PLAIN)
    Uni<String> log(@PathParam("id") String id, @QueryParam("lines") int lines);
}

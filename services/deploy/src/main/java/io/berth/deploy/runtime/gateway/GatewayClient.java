package io.berth.deploy.runtime.gateway;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.berth.common.auth.ServiceTokenHeaders;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The gateway controller's view of its routes (gateway/), called with the service token. */
@Path("/api/gateway")
@RegisterRestClient(configKey = "gateway")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Produces(MediaType.APPLICATION_JSON)
public interface GatewayClient {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Route(String app, List<Server> servers) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Server(String instance, boolean registered, String state) {
    }

    @GET
    @Path("/routes")
    Uni<List<Route>> routes(@QueryParam("app") String app);
}

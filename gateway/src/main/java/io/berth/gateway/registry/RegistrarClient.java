package io.berth.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.common.auth.ServiceTokenHeaders;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The registrar's query API (services/registrar), called with the service token. Answers are read as
 * JSON trees so that fields the registrar adds later are simply ignored.
 */
@Path("/api/registry/apps")
@RegisterRestClient(configKey = "registrar")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Produces(MediaType.APPLICATION_JSON)
public interface RegistrarClient {

    @GET
    JsonNode apps();

    @GET
    @Path("/{app}/instances")
    JsonNode instances(@PathParam("app") String app);
}

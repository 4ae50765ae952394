package io.berth.common.access;

import io.berth.common.audit.AuditContext;
import io.berth.common.directory.AppOwners;
import io.berth.events.directory.AppOwner;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** Endpoints shaped like a service's, for common's own tests of the access rules; nothing here checks access itself. */
@Path("/api")
public class SampleAppsResource {
    private final AppAccess access;
    private final AppOwners owners;
    private final AuditContext audit;

    SampleAppsResource(AppAccess access, AppOwners owners, AuditContext audit) {
        this.access = access;
        this.owners = owners;
        this.audit = audit;
    }

    @GET
    @Path("/apps")
    public List<String> list() {
        TeamScope scope = access.visibleTeams();
        return owners.all().stream().filter(owner -> scope.includes(owner.team())).map(AppOwner::app).sorted().toList();
    }

    public record NewApp(String name, String team) {
    }

    @POST
    @Path("/apps")
    public Response create(NewApp request) {
        String team = access.teamForNewApp(request.team(), "default");
        audit.about(request.name(), team);
        return Response.status(201).entity(Map.of("name", request.name(), "team", team)).build();
    }

    @GET
    @Path("/apps/{app}")
    public Map<String, String> get(@RestPath String app) {
        return Map.of("name", app);
    }

    @POST
    @Path("/apps/{app}/actions")
    public Map<String, String> act(@RestPath String app) {
        return Map.of("name", app, "done", "yes");
    }

    @DELETE
    @Path("/apps/{app}")
    public Response delete(@RestPath String app) {
        return Response.noContent().build();
    }

    /** An app named in the query, as the log search and the gateway's routes take it. */
    @GET
    @Path("/search")
    public Map<String, String> search(@RestQuery String app, @RestQuery String q) {
        return Map.of("app", app == null ? "" : app);
    }

    /** Apps that come from elsewhere than the directory (a runtime, a registry), filtered one by one. */
    @GET
    @Path("/running")
    public List<String> running(@RestQuery List<String> apps) {
        return apps.stream().filter(access::sees).toList();
    }

    /** Internal to the platform, like the agent's API. */
    @PlatformOnly
    @GET
    @Path("/node")
    public Map<String, String> node() {
        return Map.of("node", "here");
    }

    /** A query parameter called something else is not an app. */
    @GET
    @Path("/other")
    public Map<String, String> other(@RestQuery String name) {
        return Map.of("name", name == null ? "" : name);
    }
}

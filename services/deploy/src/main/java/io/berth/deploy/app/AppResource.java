package io.berth.deploy.app;

import io.berth.common.problem.ProblemException;
import io.berth.events.deployment.AppCreated;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;

@Path("/api/apps")
public class AppResource {
    static final String DEFAULT_TEAM = "default";

    private final DeploymentEvents events;

    AppResource(DeploymentEvents events) {
        this.events = events;
    }

    @GET
    public Uni<List<AppView>> list() {
        return App.<App>findAll(Sort.by("name")).list().map(apps -> apps.stream().map(AppView::of).toList());
    }

    @GET
    @Path("/{name}")
    public Uni<AppView> get(@RestPath String name) {
        return App.<App>findById(name)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("app '" + name + "' does not exist"))
                .map(AppView::of);
    }

    /** Stores the app, then publishes AppCreated; the 201 is sent only once Kafka has the event. */
    @POST
    public Uni<Response> create(@Valid @NotNull CreateAppRequest request, UriInfo uri) {
        App app = new App();
        app.name = request.name();
        app.team = request.team() == null ? DEFAULT_TEAM : request.team();
        app.createdAt = OffsetDateTime.now();
        app.updatedAt = app.createdAt;
        return Panache.withTransaction(() -> App.<App>findById(app.name)
                        .onItem().ifNotNull().failWith(() -> ProblemException.conflict("app '" + app.name + "' already exists"))
                        .chain(() -> app.persist()))
                .chain(() -> events.publish(new AppCreated(app.name, app.team)))
                .map(ignored -> Response.created(URI.create(uri.getPath() + "/" + app.name)).entity(AppView.of(app)).build());
    }
}

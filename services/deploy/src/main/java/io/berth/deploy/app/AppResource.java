package io.berth.deploy.app;

import io.berth.common.problem.ProblemException;
import io.berth.events.deployment.AppCreated;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import io.berth.deploy.api.IdempotentRequests;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/apps")
public class AppResource {
    static final String DEFAULT_TEAM = "default";

    private final DeploymentEvents events;
    private final AppOperations operations;
    private final SecurityIdentity identity;
    private final IdempotentRequests idempotent;

    AppResource(DeploymentEvents events, AppOperations operations, SecurityIdentity identity,
            IdempotentRequests idempotent) {
        this.events = events;
        this.operations = operations;
        this.identity = identity;
        this.idempotent = idempotent;
    }

    /** Apps by name, a page at a time ({@code page} from 0, {@code size} up to 500). */
    @GET
    public Uni<List<AppView>> list(@RestQuery @DefaultValue("0") @Min(0) int page,
            @RestQuery @DefaultValue("100") @Min(1) @Max(500) int size) {
        return App.<App>find("deleting = false", Sort.by("name")).page(Page.of(page, size)).list()
                .map(apps -> apps.stream().map(AppView::of).toList());
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
    public Uni<Response> create(@Valid @NotNull CreateAppRequest request, UriInfo uri,
            @RestHeader(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotent.once(idempotencyKey, "POST", uri.getPath(), request, () -> store(request, uri));
    }

    private Uni<Response> store(CreateAppRequest request, UriInfo uri) {
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

    /** Stops every instance (gracefully) and then forgets the app, its releases and its history. */
    @DELETE
    @Path("/{name}")
    public Uni<Response> delete(@RestPath String name) {
        return operations.delete(name, identity.getPrincipal().getName()).map(v -> Response.accepted().build());
    }

    public record ScaleRequest(@NotNull @Min(0) Integer replicas) {
    }

    @POST
    @Path("/{name}/scale")
    public Uni<Response> scale(@RestPath String name, @Valid @NotNull ScaleRequest request, UriInfo uri,
            @RestHeader(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotent.once(idempotencyKey, "POST", uri.getPath(), request,
                () -> operations.scale(name, request.replicas(), identity.getPrincipal().getName())
                        .map(app -> Response.ok(AppView.of(app)).build()));
    }
}

package io.berth.deploy.app;

import io.berth.common.access.AppAccess;
import io.berth.common.access.TeamScope;
import io.berth.common.audit.AuditContext;
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

/**
 * Apps. Every {@code /api/apps/{app}/**} call has passed {@link io.berth.common.access.AppAccessFilter}
 * before it gets here (another team's app is a 404, a viewer's change a 403); the listing and the
 * creation ask {@link AppAccess} themselves.
 */
@Path("/api/apps")
public class AppResource {
    static final String DEFAULT_TEAM = "default";

    private final DeploymentEvents events;
    private final AppOwnerPublisher owners;
    private final AppOperations operations;
    private final SecurityIdentity identity;
    private final IdempotentRequests idempotent;
    private final AppAccess access;
    private final AuditContext audit;

    AppResource(DeploymentEvents events, AppOwnerPublisher owners, AppOperations operations, SecurityIdentity identity,
            IdempotentRequests idempotent, AppAccess access, AuditContext audit) {
        this.events = events;
        this.owners = owners;
        this.operations = operations;
        this.identity = identity;
        this.idempotent = idempotent;
        this.access = access;
        this.audit = audit;
    }

    /**
     * The caller's teams' apps by name (every app for the platform admin and the services), a page at
     * a time ({@code page} from 0, {@code size} up to 500).
     */
    @GET
    public Uni<List<AppView>> list(@RestQuery @DefaultValue("0") @Min(0) int page,
            @RestQuery @DefaultValue("100") @Min(1) @Max(500) int size) {
        TeamScope scope = access.visibleTeams();
        if (!scope.everyTeam() && scope.teams().isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        var query = scope.everyTeam()
                ? App.<App>find("deleting = false", Sort.by("name"))
                : App.<App>find("deleting = false and team in ?1", Sort.by("name"), scope.teams());
        return query.page(Page.of(page, size)).list().map(apps -> apps.stream().map(AppView::of).toList());
    }

    @GET
    @Path("/{app}")
    public Uni<AppView> get(@RestPath String app) {
        return App.<App>findById(app)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("app '" + app + "' does not exist"))
                .map(AppView::of);
    }

    /**
     * Stores the app, then publishes AppCreated and its owner; the 201 is sent only once Kafka has
     * both. A member must be a developer or admin of the team, which they may leave out when they
     * have only one.
     */
    @POST
    public Uni<Response> create(@Valid @NotNull CreateAppRequest request, UriInfo uri,
            @RestHeader(IdempotentRequests.HEADER) String idempotencyKey) {
        String team = access.teamForNewApp(request.team(), DEFAULT_TEAM);
        audit.about(request.name(), team);
        return idempotent.once(idempotencyKey, "POST", uri.getPath(), request, () -> store(request.name(), team, uri));
    }

    private Uni<Response> store(String name, String team, UriInfo uri) {
        App app = new App();
        app.name = name;
        app.team = team;
        app.createdAt = OffsetDateTime.now();
        app.updatedAt = app.createdAt;
        return Panache.withTransaction(() -> App.<App>findById(app.name)
                        .onItem().ifNotNull().failWith(() -> ProblemException.conflict("app '" + app.name + "' already exists"))
                        .chain(() -> app.persist()))
                .chain(() -> events.publish(new AppCreated(app.name, app.team)))
                .chain(() -> owners.owned(app))
                .map(ignored -> Response.created(URI.create(uri.getPath() + "/" + app.name)).entity(AppView.of(app)).build());
    }

    /** Stops every instance (gracefully) and then forgets the app, its releases and its history. */
    @DELETE
    @Path("/{app}")
    public Uni<Response> delete(@RestPath String app) {
        return operations.delete(app, identity.getPrincipal().getName()).map(v -> Response.accepted().build());
    }

    public record ScaleRequest(@NotNull @Min(0) Integer replicas) {
    }

    @POST
    @Path("/{app}/scale")
    public Uni<Response> scale(@RestPath String app, @Valid @NotNull ScaleRequest request, UriInfo uri,
            @RestHeader(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotent.once(idempotencyKey, "POST", uri.getPath(), request,
                () -> operations.scale(app, request.replicas(), identity.getPrincipal().getName())
                        .map(scaled -> Response.ok(AppView.of(scaled)).build()));
    }
}

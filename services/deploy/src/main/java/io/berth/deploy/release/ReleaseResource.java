package io.berth.deploy.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.problem.ProblemException;
import io.berth.deploy.app.AppOperations;
import io.berth.deploy.rollout.RolloutView;
import io.quarkus.panache.common.Page;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import io.berth.deploy.api.IdempotentRequests;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/apps/{app}")
public class ReleaseResource {
    private final AppOperations operations;
    private final ReleaseSecrets secrets;
    private final SecurityIdentity identity;
    private final ObjectMapper json;
    private final IdempotentRequests idempotent;

    ReleaseResource(AppOperations operations, SecurityIdentity identity, ObjectMapper json,
            IdempotentRequests idempotent, ReleaseSecrets secrets) {
        this.operations = operations;
        this.secrets = secrets;
        this.identity = identity;
        this.json = json;
        this.idempotent = idempotent;
    }

    /** Stores release v(N+1) and starts its rollout; follow it at /rollouts/current. */
    @POST
    @Path("/releases")
    public Uni<Response> create(@RestPath String app, @Valid @NotNull ReleaseSpec spec, UriInfo uri,
            @RestHeader(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotent.once(idempotencyKey, "POST", uri.getPath(), spec,
                () -> operations.createRelease(app, secrets.seal(spec), identity.getPrincipal().getName())
                        .map(release -> Response.created(URI.create(uri.getPath() + "/" + release.version))
                                .entity(view(release)).build()));
    }

    @GET
    @Path("/releases")
    public Uni<List<ReleaseView>> list(@RestPath String app, @RestQuery @DefaultValue("0") @Min(0) int page,
            @RestQuery @DefaultValue("100") @Min(1) @Max(500) int size) {
        return Release.<Release>find("app = ?1 order by version desc", app).page(Page.of(page, size)).list()
                .map(releases -> releases.stream().map(this::view).toList());
    }

    @GET
    @Path("/releases/{version}")
    public Uni<ReleaseView> get(@RestPath String app, @RestPath int version) {
        return Release.of(app, version)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("app '" + app + "' has no release v" + version))
                .map(this::view);
    }

    public record RollbackRequest(@Min(1) Integer release) {
    }

    /** Rolls back to {@code release}, or to the release before the current one when none is given. */
    @POST
    @Path("/rollback")
    public Uni<Response> rollback(@RestPath String app, @Valid RollbackRequest request, UriInfo uri,
            @RestHeader(IdempotentRequests.HEADER) String idempotencyKey) {
        Integer to = request == null ? null : request.release();
        return idempotent.once(idempotencyKey, "POST", uri.getPath(), request,
                () -> operations.rollback(app, to, identity.getPrincipal().getName())
                        .map(rollout -> Response.accepted(RolloutView.of(rollout)).build()));
    }

    /** Ends a canary's phase: the rolling update to its release goes on. */
    @POST
    @Path("/rollouts/current/promote")
    public Uni<Response> promote(@RestPath String app, UriInfo uri,
            @RestHeader(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotent.once(idempotencyKey, "POST", uri.getPath(), null,
                () -> operations.promote(app, identity.getPrincipal().getName())
                        .map(rollout -> Response.accepted(RolloutView.of(rollout)).build()));
    }

    /** Drops a canary: its instances go and the release before it serves alone. */
    @POST
    @Path("/rollouts/current/abort")
    public Uni<Response> abort(@RestPath String app, UriInfo uri,
            @RestHeader(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotent.once(idempotencyKey, "POST", uri.getPath(), null,
                () -> operations.abort(app, identity.getPrincipal().getName())
                        .map(rollout -> Response.accepted(RolloutView.of(rollout)).build()));
    }

    /** Replaces every instance with a fresh one of the same release, rolling. */
    @POST
    @Path("/restart")
    public Uni<Response> restart(@RestPath String app, UriInfo uri,
            @RestHeader(IdempotentRequests.HEADER) String idempotencyKey) {
        return idempotent.once(idempotencyKey, "POST", uri.getPath(), null,
                () -> operations.restart(app, identity.getPrincipal().getName())
                        .map(rollout -> Response.accepted(RolloutView.of(rollout)).build()));
    }

    ReleaseView view(Release release) {
        try {
            ReleaseSpec spec = json.readValue(release.spec, ReleaseSpec.class).masked();
            return new ReleaseView(release.app, release.version, spec, release.createdBy, release.createdAt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("release v" + release.version + " of " + release.app + " is unreadable", e);
        }
    }
}

package io.berth.autoscaler.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.problem.Problem;
import io.berth.common.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/** An app's autoscaling policy: one document, replaced as a whole, checked as a whole before it is stored. */
@Path("/api/apps/{app}/autoscaling")
@Tag(name = "autoscaling", description = "Per-app scaling policies and the decisions they led to")
public class PolicyResource {
    private final ObjectMapper json;
    private final SecurityIdentity identity;
    private final Clock clock;

    PolicyResource(ObjectMapper json, SecurityIdentity identity, Clock clock) {
        this.json = json;
        this.identity = identity;
        this.clock = clock;
    }

    @PUT
    @Operation(summary = "Sets the app's policy (metric targets, bounds, schedules, behaviour); a conflicting "
            + "or malformed one is refused with the field at fault, and nothing is stored")
    public Uni<Response> put(@RestPath @Pattern(regexp = "[a-z]([-a-z0-9]{0,38}[a-z0-9])?", message = "must be an app name") String app,
            @Valid @NotNull AutoscalingPolicy policy) {
        List<Problem.FieldError> errors = PolicyValidator.check(policy, clock.instant().atZone(java.time.ZoneOffset.UTC));
        if (!errors.isEmpty()) {
            throw new ProblemException(Problem.invalid(errors.get(0).field() + ": " + errors.get(0).message(), errors));
        }
        AutoscalingPolicy stored = policy.withDefaults();
        String spec = write(stored);
        return Panache.withTransaction(() -> StoredPolicy.<StoredPolicy>findById(app).chain(existing -> {
            StoredPolicy row = existing == null ? new StoredPolicy() : existing;
            row.app = app;
            row.spec = spec;
            row.updatedAt = OffsetDateTime.now(clock);
            row.updatedBy = identity.getPrincipal().getName();
            return existing == null ? row.persist().replaceWith(Response.status(201).entity(stored).build())
                    : Uni.createFrom().item(Response.ok(stored).build());
        }));
    }

    @GET
    @Operation(summary = "The app's policy as stored, every default filled in")
    public Uni<AutoscalingPolicy> get(@RestPath String app) {
        return StoredPolicy.<StoredPolicy>findById(app)
                .onItem().ifNull().failWith(() -> ProblemException.notFound("app '" + app + "' has no autoscaling policy"))
                .map(row -> read(row.spec));
    }

    @DELETE
    @Operation(summary = "Removes the app's policy: the autoscaler leaves the app alone")
    public Uni<Response> delete(@RestPath String app) {
        return Panache.withTransaction(() -> StoredPolicy.deleteById(app))
                .map(deleted -> deleted ? Response.noContent().build()
                        : Response.status(404).build());
    }

    private String write(AutoscalingPolicy policy) {
        try {
            return json.writeValueAsString(policy);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    AutoscalingPolicy read(String spec) {
        try {
            return json.readValue(spec, AutoscalingPolicy.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored policy is unreadable", e);
        }
    }
}

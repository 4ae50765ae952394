package io.berth.deploy.registry;

import io.berth.common.access.AppAccess;
import io.berth.common.audit.AuditContext;
import io.berth.common.image.ImageRegistry;
import io.berth.common.problem.Problem;
import io.berth.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestPath;

/**
 * A team's image registry credentials, which the agent pulls the team's image releases with. Developers
 * and admins of the team (and the platform admin) store and remove them; a viewer lists them. No answer
 * ever holds a password. Another team's credentials are answered as a team that does not exist.
 */
@Path("/api/teams/{team}/registries")
public class RegistryResource {
    private static final Pattern TEAM = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

    /** What a team stores for one registry. */
    public record CredentialsRequest(@NotNull String username, @NotNull String password) {
        @Override
        public String toString() {
            return "CredentialsRequest[username=" + username + ", password=<hidden>]";
        }
    }

    /** One registry's credentials as the API shows them: never the password. */
    public record RegistryView(String team, String server, String username, OffsetDateTime createdAt,
            OffsetDateTime updatedAt) {
        static RegistryView of(RegistryCredential c) {
            return new RegistryView(c.team, c.server, c.username, c.createdAt, c.updatedAt);
        }
    }

    private final RegistryCredentials credentials;
    private final AppAccess access;
    private final AuditContext audit;

    RegistryResource(RegistryCredentials credentials, AppAccess access, AuditContext audit) {
        this.credentials = credentials;
        this.access = access;
        this.audit = audit;
    }

    @GET
    public Uni<List<RegistryView>> list(@RestPath String team) {
        require(team, false);
        return credentials.list(team).map(all -> all.stream().map(RegistryView::of).toList());
    }

    /** Stores (201) or replaces (200) the team's username and password for {@code server}, host[:port]. */
    @PUT
    @Path("/{server}")
    public Uni<Response> put(@RestPath String team, @RestPath String server, CredentialsRequest request) {
        require(team, true);
        validServer(server);
        if (request == null || request.username() == null || request.username().isBlank() || request.username().length() > 256
                || request.username().contains(":")) {
            throw ProblemException.invalidField("username", "required: 1 to 256 characters, no colon");
        }
        if (request.password() == null || request.password().isEmpty() || request.password().length() > 4096) {
            throw ProblemException.invalidField("password", "required: 1 to 4096 characters");
        }
        return credentials.put(team, server, request.username(), request.password())
                .chain(created -> credentials.find(team, server).map(stored -> Response.status(created ? 201 : 200).entity(RegistryView.of(stored)).build()));
    }

    @DELETE
    @Path("/{server}")
    public Uni<Response> delete(@RestPath String team, @RestPath String server) {
        require(team, true);
        validServer(server);
        return credentials.delete(team, server).map(deleted -> {
                    if (!deleted) {
                        throw ProblemException.notFound("team '" + team + "' has no credentials for " + server);
                    }
                    return Response.noContent().build();
                });
    }

    private static void validServer(String server) {
        if (server.length() > 255 || !ImageRegistry.SERVER.matcher(server).matches()) {
            throw ProblemException.invalidField("server", "must be a registry as image references name it: host[:port], "
                    + "lower case (docker.io for Docker Hub)");
        }
    }

    /** Members of the team read; its developers and admins change. The platform admin and the services may do both. */
    private void require(String team, boolean change) {
        audit.about(null, team);
        if (!TEAM.matcher(team).matches()) {
            throw ProblemException.invalidField("team", "must be a team's name (a DNS label)");
        }
        switch (access.decideForTeam(access.caller(), Optional.of(team), change)) {
            case ALLOWED -> {
            }
            case HIDDEN -> {
                audit.hidden();
                throw ProblemException.notFound("team '" + team + "' does not exist");
            }
            case READ_ONLY -> throw new ProblemException(Problem.of(403, "Forbidden", "changing team '" + team
                    + "''s registry credentials takes the role developer or admin in it"));
        }
    }
}

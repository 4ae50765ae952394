package io.berth.identity.token;

import io.berth.common.problem.ProblemException;
import io.berth.identity.Names;
import io.berth.identity.access.Actor;
import io.berth.identity.access.TeamAccess;
import io.berth.identity.directory.DirectorySync;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;

/**
 * One API token: read and revoked by its user, by an admin of one of the user's teams, or by the
 * platform admin; anyone else is told it does not exist. A revocation answers once the directory
 * holds the tombstone.
 */
@Path("/api/tokens/{id}")
public class TokenResource {
    private final SecurityIdentity identity;
    private final TeamAccess access;
    private final DirectorySync directory;

    TokenResource(SecurityIdentity identity, TeamAccess access, DirectorySync directory) {
        this.identity = identity;
        this.access = access;
        this.directory = directory;
    }

    @GET
    public Uni<TokenView> get(@RestPath @Pattern(regexp = Names.UUID, message = Names.UUID_MESSAGE) String id) {
        Actor caller = Actor.of(identity);
        return Panache.withSession(() -> token(id)
                .call(token -> requireManager(caller, token, id))
                .map(TokenView::of));
    }

    /** Revokes the token: refused here at once, and everywhere once the tombstone is acknowledged. */
    @DELETE
    public Uni<Response> revoke(@RestPath @Pattern(regexp = Names.UUID, message = Names.UUID_MESSAGE) String id) {
        Actor caller = Actor.of(identity);
        return Panache.withTransaction(() -> token(id)
                .call(token -> requireManager(caller, token, id))
                .call(token -> directory.lock(List.of(token.userName)))
                .call(token -> {
                    // revoked already: the tombstone goes out again, which changes nothing
                    if (token.revokedAt == null) {
                        token.revokedAt = OffsetDateTime.now(ZoneOffset.UTC);
                        token.revokedBy = caller.name();
                    }
                    return directory.tombstone(List.of(token));
                }))
                .map(ignored -> Response.noContent().build());
    }

    /** The token's user is not disclosed to a caller who may not manage it: the token answers 404. */
    private Uni<Void> requireManager(Actor caller, ApiToken token, String id) {
        return access.requireTokenManager(caller, token.userName)
                .onFailure(e -> e instanceof ProblemException p && p.problem().status() == 404)
                .transform(e -> noSuchToken(id))
                .replaceWithVoid();
    }

    private static Uni<ApiToken> token(String id) {
        return ApiToken.<ApiToken>findById(UUID.fromString(id)).onItem().ifNull().failWith(() -> noSuchToken(id));
    }

    private static ProblemException noSuchToken(String id) {
        return ProblemException.notFound("token '" + id + "' does not exist");
    }
}

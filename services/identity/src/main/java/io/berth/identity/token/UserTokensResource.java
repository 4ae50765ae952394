package io.berth.identity.token;

import io.berth.common.problem.ProblemException;
import io.berth.identity.Names;
import io.berth.identity.access.Actor;
import io.berth.identity.access.NewToken;
import io.berth.identity.access.TeamAccess;
import io.berth.identity.directory.DirectorySync;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestPath;

/**
 * A user's API tokens, created and listed (and revoked, at {@code /api/tokens/{id}}) by the user, by
 * an admin of one of the user's teams, or by the platform admin. A new token is in the answer once
 * and only its SHA-256 is stored; the creation answers once the directory has the token's grant.
 */
@Path("/api/users/{user}/tokens")
public class UserTokensResource {
    private final SecurityIdentity identity;
    private final TeamAccess access;
    private final DirectorySync directory;

    UserTokensResource(SecurityIdentity identity, TeamAccess access, DirectorySync directory) {
        this.identity = identity;
        this.access = access;
        this.directory = directory;
    }

    /** {@code expiresAt} (RFC 3339) or {@code ttl} (90d, 12h, PT1H), or neither for a token that does not expire. */
    public record CreateTokenRequest(
            @NotNull @Pattern(regexp = Names.TOKEN_NAME, message = Names.TOKEN_NAME_MESSAGE) String name,
            OffsetDateTime expiresAt,
            String ttl) {
    }

    @POST
    public Uni<Response> create(@RestPath @Pattern(regexp = Names.USER, message = Names.USER_MESSAGE) String user,
            @Valid @NotNull CreateTokenRequest request) {
        Actor caller = Actor.of(identity);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime expiresAt = expiry(request, now);
        NewToken secret = NewToken.generate();
        ApiToken token = new ApiToken();
        token.id = UUID.randomUUID();
        token.userName = user;
        token.name = request.name();
        token.sha256 = secret.sha256();
        token.createdAt = now;
        token.createdBy = caller.name();
        token.expiresAt = expiresAt;
        return Panache.withTransaction(() -> access.requireTokenManager(caller, user)
                        .chain(() -> directory.lock(List.of(user)))
                        .chain(() -> token.persist())
                        .chain(() -> directory.republish(List.of(user))))
                .map(ignored -> Response.created(URI.create("/api/tokens/" + token.id))
                        .entity(new CreatedToken(token.id.toString(), user, token.name, secret.token(), token.createdAt,
                                token.expiresAt, CreatedToken.NOTE))
                        .build());
    }

    @GET
    public Uni<List<TokenView>> list(@RestPath @Pattern(regexp = Names.USER, message = Names.USER_MESSAGE) String user) {
        Actor caller = Actor.of(identity);
        return Panache.withSession(() -> access.requireTokenManager(caller, user)
                .chain(() -> ApiToken.<ApiToken>list("userName = ?1 order by createdAt desc", user))
                .map(tokens -> tokens.stream().map(TokenView::of).toList()));
    }

    private static OffsetDateTime expiry(CreateTokenRequest request, OffsetDateTime now) {
        if (request.expiresAt() != null && request.ttl() != null) {
            throw ProblemException.invalidField("ttl", "give expiresAt or ttl, not both");
        }
        if (request.ttl() != null) {
            return now.plus(Ttl.parse(request.ttl(), "ttl"));
        }
        if (request.expiresAt() != null) {
            if (!request.expiresAt().isAfter(now)) {
                throw ProblemException.invalidField("expiresAt", "must be in the future");
            }
            if (request.expiresAt().isAfter(now.plus(Ttl.MAX))) {
                throw ProblemException.invalidField("expiresAt", "must be at most 3650 days from now");
            }
            return request.expiresAt();
        }
        return null;
    }
}

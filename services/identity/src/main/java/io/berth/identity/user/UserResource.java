package io.berth.identity.user;

import io.berth.identity.Names;
import io.berth.identity.access.Actor;
import io.berth.identity.access.TeamAccess;
import io.berth.identity.directory.DirectorySync;
import io.berth.identity.member.Membership;
import io.berth.identity.token.ApiToken;
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
import java.time.OffsetDateTime;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;

/**
 * Users as the platform admin manages them. A user comes into being when first added to a team;
 * here it can also be created directly, made platform admin, or removed (every token of it is
 * revoked and tombstoned first).
 */
@Path("/api/users/{user}")
public class UserResource {
    private final SecurityIdentity identity;
    private final TeamAccess access;
    private final DirectorySync directory;

    UserResource(SecurityIdentity identity, TeamAccess access, DirectorySync directory) {
        this.identity = identity;
        this.access = access;
        this.directory = directory;
    }

    public record UserView(String name, boolean platformAdmin, OffsetDateTime createdAt, List<MeResource.TeamRole> teams) {
    }

    public record PutUserRequest(@NotNull Boolean platformAdmin) {
    }

    @GET
    public Uni<UserView> get(@RestPath @Pattern(regexp = Names.USER, message = Names.USER_MESSAGE) String user) {
        Actor caller = Actor.of(identity);
        return Panache.withSession(() -> access.requireTokenManager(caller, user).chain(this::view));
    }

    /** Creates the user, or changes whether it is platform admin; its tokens carry the change at once. */
    @PUT
    public Uni<Response> put(@RestPath @Pattern(regexp = Names.USER, message = Names.USER_MESSAGE) String user,
            @Valid @NotNull PutUserRequest request) {
        Actor caller = Actor.of(identity);
        access.requirePlatformAdmin(caller);
        Names.requireUnreservedUser(user, "user");
        return Panache.withTransaction(() -> AppUser.<AppUser>findById(user).chain(existing -> {
            boolean created = existing == null;
            Uni<AppUser> row = created
                    ? AppUser.named(user).<AppUser>persist().call(() -> Panache.getSession().chain(s -> s.flush()))
                    : Uni.createFrom().item(existing);
            return row.chain(() -> directory.lock(List.of(user)))
                    .map(locked -> locked.get(0))
                    .invoke(u -> u.platformAdmin = request.platformAdmin())
                    .call(() -> directory.republish(List.of(user)))
                    .chain(this::view)
                    .map(view -> Response.status(created ? 201 : 200).entity(view).build());
        }));
    }

    @DELETE
    public Uni<Response> delete(@RestPath @Pattern(regexp = Names.USER, message = Names.USER_MESSAGE) String user) {
        Actor caller = Actor.of(identity);
        access.requirePlatformAdmin(caller);
        OffsetDateTime now = OffsetDateTime.now();
        return Panache.withTransaction(() -> directory.lock(List.of(user)).chain(locked -> {
            if (locked.isEmpty()) {
                throw TeamAccess.noSuchUser(user);
            }
            return ApiToken.<ApiToken>list("userName = ?1 and revokedAt is null", user)
                    .invoke(tokens -> tokens.forEach(t -> {
                        t.revokedAt = now;
                        t.revokedBy = caller.name();
                    }))
                    .call(tokens -> directory.tombstone(tokens))
                    .chain(() -> Membership.delete("userName", user))
                    .chain(() -> locked.get(0).delete());
        })).map(ignored -> Response.noContent().build());
    }

    private Uni<UserView> view(AppUser user) {
        return Membership.ofUser(user.name).map(memberships -> new UserView(user.name, user.platformAdmin, user.createdAt,
                memberships.stream().map(m -> new MeResource.TeamRole(m.team, m.role)).toList()));
    }
}

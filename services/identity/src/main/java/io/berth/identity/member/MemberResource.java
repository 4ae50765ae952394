package io.berth.identity.member;

import io.berth.common.problem.ProblemException;
import io.berth.identity.Names;
import io.berth.identity.access.Actor;
import io.berth.identity.access.TeamAccess;
import io.berth.identity.directory.DirectorySync;
import io.berth.identity.user.AppUser;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;

/**
 * A team's members and their roles. Every member may list them; the team's admins and the platform
 * admin add, change and remove them. A change answers once the member's tokens carry the new
 * roles on the directory (or no longer carry the team).
 */
@Path("/api/teams/{team}/members")
public class MemberResource {
    private final SecurityIdentity identity;
    private final TeamAccess access;
    private final DirectorySync directory;

    MemberResource(SecurityIdentity identity, TeamAccess access, DirectorySync directory) {
        this.identity = identity;
        this.access = access;
        this.directory = directory;
    }

    public record AddMemberRequest(
            @NotNull @Pattern(regexp = Names.USER, message = Names.USER_MESSAGE) String user,
            @NotNull @Pattern(regexp = Names.ROLE, message = Names.ROLE_MESSAGE) String role) {
    }

    public record ChangeRoleRequest(@NotNull @Pattern(regexp = Names.ROLE, message = Names.ROLE_MESSAGE) String role) {
    }

    @GET
    public Uni<List<MemberView>> list(@RestPath @Pattern(regexp = Names.TEAM, message = Names.TEAM_MESSAGE) String team) {
        Actor caller = Actor.of(identity);
        return Panache.withSession(() -> access.requireVisible(caller, team)
                .chain(() -> Membership.ofTeam(team))
                .map(members -> members.stream().map(MemberView::of).toList()));
    }

    @GET
    @Path("/{user}")
    public Uni<MemberView> get(@RestPath @Pattern(regexp = Names.TEAM, message = Names.TEAM_MESSAGE) String team,
            @RestPath @Pattern(regexp = Names.USER, message = Names.USER_MESSAGE) String user) {
        Actor caller = Actor.of(identity);
        return Panache.withSession(() -> access.requireVisible(caller, team)
                .chain(() -> member(team, user))
                .map(MemberView::of));
    }

    /** Adds a user (created on first use) to the team with a role. */
    @POST
    public Uni<Response> add(@RestPath @Pattern(regexp = Names.TEAM, message = Names.TEAM_MESSAGE) String team,
            @Valid @NotNull AddMemberRequest request, UriInfo uri) {
        Actor caller = Actor.of(identity);
        String user = Names.requireUnreservedUser(request.user(), "user");
        return Panache.withTransaction(() -> access.requireAdmin(caller, team)
                .chain(() -> AppUser.<AppUser>findById(user))
                .chain(existing -> existing != null ? Uni.createFrom().item(existing)
                        : AppUser.named(user).<AppUser>persist().call(() -> Panache.getSession().chain(s -> s.flush())))
                .chain(() -> directory.lock(List.of(user)))
                .chain(() -> Membership.of(team, user))
                .chain(existing -> {
                    if (existing != null) {
                        throw ProblemException.conflict("'" + user + "' is already a member of team '" + team
                                + "' (as " + existing.role + "); change the role with PUT " + uri.getPath() + "/" + user);
                    }
                    Membership membership = new Membership();
                    membership.team = team;
                    membership.userName = user;
                    membership.role = request.role();
                    membership.createdAt = OffsetDateTime.now();
                    membership.updatedAt = membership.createdAt;
                    return membership.<Membership>persist();
                })
                .call(() -> directory.republish(List.of(user))))
                .map(m -> Response.created(URI.create(uri.getPath() + "/" + user)).entity(MemberView.of(m)).build());
    }

    @PUT
    @Path("/{user}")
    public Uni<MemberView> changeRole(@RestPath @Pattern(regexp = Names.TEAM, message = Names.TEAM_MESSAGE) String team,
            @RestPath @Pattern(regexp = Names.USER, message = Names.USER_MESSAGE) String user,
            @Valid @NotNull ChangeRoleRequest request) {
        Actor caller = Actor.of(identity);
        return Panache.withTransaction(() -> access.requireAdmin(caller, team)
                .chain(() -> directory.lock(List.of(user)))
                .chain(() -> member(team, user))
                .invoke(m -> {
                    m.role = request.role();
                    m.updatedAt = OffsetDateTime.now();
                })
                .call(() -> directory.republish(List.of(user))))
                .map(MemberView::of);
    }

    @DELETE
    @Path("/{user}")
    public Uni<Response> remove(@RestPath @Pattern(regexp = Names.TEAM, message = Names.TEAM_MESSAGE) String team,
            @RestPath @Pattern(regexp = Names.USER, message = Names.USER_MESSAGE) String user) {
        Actor caller = Actor.of(identity);
        return Panache.withTransaction(() -> access.requireAdmin(caller, team)
                .chain(() -> directory.lock(List.of(user)))
                .chain(() -> member(team, user))
                .call(m -> m.delete())
                .call(() -> directory.republish(List.of(user))))
                .map(ignored -> Response.noContent().build());
    }

    private static Uni<Membership> member(String team, String user) {
        return Membership.of(team, user).onItem().ifNull()
                .failWith(() -> ProblemException.notFound("'" + user + "' is not a member of team '" + team + "'"));
    }
}

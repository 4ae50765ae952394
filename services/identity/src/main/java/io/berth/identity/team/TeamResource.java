package io.berth.identity.team;

import io.berth.common.audit.AuditContext;
import io.berth.common.problem.ProblemException;
import io.berth.identity.Names;
import io.berth.identity.access.Actor;
import io.berth.identity.access.TeamAccess;
import io.berth.identity.directory.DirectorySync;
import io.berth.identity.member.Membership;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.RestPath;

/** Teams: the platform admin creates, deletes and lists them all; a member lists its own. */
@Path("/api/teams")
public class TeamResource {
    private final SecurityIdentity identity;
    private final TeamAccess access;
    private final DirectorySync directory;
    private final AuditContext audit;

    TeamResource(SecurityIdentity identity, TeamAccess access, DirectorySync directory, AuditContext audit) {
        this.identity = identity;
        this.access = access;
        this.directory = directory;
        this.audit = audit;
    }

    public record CreateTeamRequest(@NotNull @Pattern(regexp = Names.TEAM, message = Names.TEAM_MESSAGE) String name) {
    }

    @GET
    public Uni<List<TeamView>> list() {
        Actor caller = Actor.of(identity);
        return Panache.withSession(() -> Membership.ofUser(caller.name()).chain(memberships -> {
            Map<String, String> roles = memberships.stream().collect(Collectors.toMap(m -> m.team, m -> m.role));
            Uni<List<Team>> teams = caller.platformAdmin() ? Team.listAll(Sort.by("name"))
                    : roles.isEmpty() ? Uni.createFrom().item(List.of())
                    : Team.list("name in ?1 order by name", roles.keySet());
            return teams.map(found -> found.stream().map(t -> TeamView.of(t, roles.get(t.name))).toList());
        }));
    }

    @GET
    @Path("/{team}")
    public Uni<TeamView> get(@RestPath @Pattern(regexp = Names.TEAM, message = Names.TEAM_MESSAGE) String team) {
        Actor caller = Actor.of(identity);
        return Panache.withSession(() -> access.requireVisible(caller, team)
                .chain(found -> Membership.of(team, caller.name())
                        .map(m -> TeamView.of(found, m == null ? null : m.role))));
    }

    @POST
    public Uni<Response> create(@Valid @NotNull CreateTeamRequest request, UriInfo uri) {
        audit.about(null, request.name());
        Actor caller = Actor.of(identity);
        access.requirePlatformAdmin(caller);
        Team team = new Team();
        team.name = request.name();
        team.createdAt = OffsetDateTime.now();
        team.createdBy = caller.name();
        return Panache.withTransaction(() -> Team.findById(team.name)
                        .onItem().ifNotNull().failWith(() -> ProblemException.conflict("team '" + team.name + "' already exists"))
                        .chain(() -> team.persist()))
                .map(ignored -> Response.created(URI.create(uri.getPath() + "/" + team.name))
                        .entity(TeamView.of(team, null)).build());
    }

    /**
     * Removes the team and every membership in it; each former member's tokens are republished
     * without the team before the answer, so the team's grants are gone everywhere.
     */
    @DELETE
    @Path("/{team}")
    public Uni<Response> delete(@RestPath @Pattern(regexp = Names.TEAM, message = Names.TEAM_MESSAGE) String team) {
        Actor caller = Actor.of(identity);
        access.requirePlatformAdmin(caller);
        return Panache.withTransaction(() -> Team.<Team>findById(team)
                .onItem().ifNull().failWith(() -> TeamAccess.noSuchTeam(team))
                .chain(found -> Membership.ofTeam(team).chain(members -> {
                    List<String> users = members.stream().map(m -> m.userName).toList();
                    return directory.lock(users)
                            .chain(() -> Membership.delete("team", team))
                            .chain(() -> found.delete())
                            .chain(() -> directory.republish(users));
                })))
                .map(ignored -> Response.noContent().build());
    }
}

package io.berth.identity.user;

import io.berth.common.auth.Caller;
import io.berth.common.auth.OidcTokens;
import io.berth.identity.access.Actor;
import io.berth.identity.member.Membership;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.Map;

/** Who the caller is: the user, platform admin or not, and its teams with their roles. */
@Path("/api/me")
public class MeResource {
    private final SecurityIdentity identity;

    MeResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    public record TeamRole(String team, String role) {
    }

    /**
     * {@code kind}: {@code user} (an API token), {@code platform-admin} (the bootstrap admin token)
     * or {@code service} (the services' token).
     */
    public record MeView(String user, String kind, boolean platformAdmin, List<TeamRole> teams) {
    }

    @GET
    public Uni<MeView> me() {
        // a single sign-on user has no rows here: the provider's groups are their teams (decision 6)
        if (Caller.of(identity).orElse(null) instanceof Caller.Member member && member.apiTokenId().startsWith(OidcTokens.TOKEN_ID_PREFIX)) {
            return Uni.createFrom().item(new MeView(member.user(), "user", false, member.teams().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(team -> new TeamRole(team.getKey(), team.getValue().label())).toList()));
        }
        Actor caller = Actor.of(identity);
        if (!caller.isUser()) {
            String kind = caller.platformAdmin() ? "platform-admin" : "service";
            return Uni.createFrom().item(new MeView(caller.name(), kind, caller.platformAdmin(), List.of()));
        }
        return Panache.withSession(() -> Membership.ofUser(caller.name()))
                .map(memberships -> new MeView(caller.name(), "user", caller.platformAdmin(),
                        memberships.stream().map(m -> new TeamRole(m.team, m.role)).toList()));
    }
}

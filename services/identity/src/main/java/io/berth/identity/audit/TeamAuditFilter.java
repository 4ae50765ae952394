package io.berth.identity.audit;

import io.berth.common.audit.AuditContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The identity service's own changes are recorded by the shared audit filter; this one tells it
 * the team a call acts on, the {@code {team}} of its path, so that the team's admins find the
 * changes to their team (members, roles) in its audit log.
 */
public class TeamAuditFilter {
    static final String TEAM = "team";

    private final AuditContext audit;

    TeamAuditFilter(AuditContext audit) {
        this.audit = audit;
    }

    @ServerRequestFilter
    public void nameTheTeam(ContainerRequestContext request) {
        List<String> team = request.getUriInfo().getPathParameters().get(TEAM);
        if (team != null && !team.isEmpty()) {
            audit.about(null, team.get(0));
        }
    }
}

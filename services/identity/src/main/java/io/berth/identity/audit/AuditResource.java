package io.berth.identity.audit;

import io.berth.common.problem.ProblemException;
import io.berth.identity.Names;
import io.berth.identity.access.Actor;
import io.berth.identity.access.TeamAccess;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The audit log, newest first. The platform admin reads all of it; a team admin reads its teams'
 * entries (asking for another team answers 403); everyone else is refused.
 */
@Path("/api/audit")
public class AuditResource {
    static final int MAX_LIMIT = 1000;
    static final String LIMIT = "must be a number from 1 to 1000";
    private final SecurityIdentity identity;
    private final TeamAccess access;

    AuditResource(SecurityIdentity identity, TeamAccess access) {
        this.identity = identity;
        this.access = access;
    }

    public record AuditView(String id, Instant at, String service, String app, String team, String actor,
            String actorKind, String tokenId, String action, String path, String remoteAddress, int status,
            String outcome) {
        static AuditView of(AuditEntry e) {
            return new AuditView(e.eventId, e.at.toInstant(), e.source, e.app, e.team, e.actor, e.actorKind, e.tokenId,
                    e.action, e.path, e.remoteAddress, e.status, e.outcome);
        }
    }

    /** {@code from} (inclusive) and {@code to} (exclusive) are RFC 3339 times; {@code limit} 1-1000, 100 by default. */
    @GET
    public Uni<List<AuditView>> query(
            @RestQuery @Pattern(regexp = Names.TEAM, message = Names.TEAM_MESSAGE) String team,
            @RestQuery @Pattern(regexp = Names.USER, message = Names.USER_MESSAGE) String user,
            @RestQuery @Pattern(regexp = Names.TEAM, message = "must be an app name: " + Names.TEAM_MESSAGE) String app,
            @RestQuery String from, @RestQuery String to,
            @RestQuery @DefaultValue("100") @Pattern(regexp = "[0-9]{1,4}", message = LIMIT) String limit) {
        Actor caller = Actor.of(identity);
        int most = Integer.parseInt(limit);
        if (most < 1 || most > MAX_LIMIT) {
            throw ProblemException.invalidField("limit", LIMIT);
        }
        OffsetDateTime since = time(from, "from");
        OffsetDateTime until = time(to, "to");
        if (since != null && until != null && !since.isBefore(until)) {
            throw ProblemException.invalidField("to", "must be after from");
        }
        return Panache.withSession(() -> access.auditableTeams(caller).chain(teams -> {
            if (teams != null && team != null && !teams.contains(team)) {
                throw new ProblemException(io.berth.common.problem.Problem.of(403, "Forbidden",
                        "only an admin of team '" + team + "' or the platform admin may read its audit log"));
            }
            List<String> where = new ArrayList<>();
            Parameters parameters = new Parameters();
            if (team != null) {
                where.add("team = :team");
                parameters.and("team", team);
            } else if (teams != null) {
                where.add("team in :teams");
                parameters.and("teams", teams);
            }
            if (user != null) {
                where.add("actor = :user");
                parameters.and("user", user);
            }
            if (app != null) {
                where.add("app = :app");
                parameters.and("app", app);
            }
            if (since != null) {
                where.add("at >= :from");
                parameters.and("from", since);
            }
            if (until != null) {
                where.add("at < :to");
                parameters.and("to", until);
            }
            String query = where.isEmpty() ? "" : String.join(" and ", where);
            return AuditEntry.<AuditEntry>find(query, Sort.descending("at", "eventId"), parameters)
                    .page(Page.ofSize(most)).list()
                    .map(entries -> entries.stream().map(AuditView::of).toList());
        }));
    }

    private static OffsetDateTime time(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be an RFC 3339 time such as 2026-11-22T10:00:00Z");
        }
    }
}

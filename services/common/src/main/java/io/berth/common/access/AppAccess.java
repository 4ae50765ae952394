package io.berth.common.access;

import io.berth.common.auth.Caller;
import io.berth.common.auth.TeamRole;
import io.berth.common.directory.AppOwners;
import io.berth.common.problem.Problem;
import io.berth.common.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The one place that decides who may see and change which app (decision 6). The platform admin and
 * the services reach every app. A member reaches the apps of their teams: another team's app, or an
 * app no directory knows, is answered exactly as an app that does not exist (404), so that its
 * existence is not disclosed; a viewer's change is a 403. {@link AppAccessFilter} applies it to
 * every endpoint with an {@code app} path or query parameter; services call it for listings
 * ({@link #visibleTeams}) and for calls that name a team ({@link #teamForNewApp}).
 */
@ApplicationScoped
public class AppAccess {

    /** What one caller may do with one app. */
    public enum Verdict {
        ALLOWED,
        /** another team's app, or no app: answered as not found */
        HIDDEN,
        /** the caller sees the app but may not change it */
        READ_ONLY
    }

    private final AppOwners owners;
    private final SecurityIdentity identity;

    AppAccess(AppOwners owners, SecurityIdentity identity) {
        this.owners = owners;
        this.identity = identity;
    }

    /** The caller of the current request. */
    public Optional<Caller> caller() {
        return Caller.of(identity);
    }

    public Verdict decide(Optional<Caller> caller, String app, boolean change) {
        return decideForTeam(caller, owners.teamOf(app), change);
    }

    /** What one caller may do with what {@code team} owns: its apps, its registry credentials. */
    public Verdict decideForTeam(Optional<Caller> caller, Optional<String> team, boolean change) {
        if (caller.isEmpty()) {
            return Verdict.HIDDEN;
        }
        if (caller.get() instanceof Caller.PlatformAdmin || caller.get() instanceof Caller.Service) {
            return Verdict.ALLOWED;
        }
        Caller.Member member = (Caller.Member) caller.get();
        Optional<TeamRole> role = team.flatMap(member::roleIn);
        if (role.isEmpty()) {
            return Verdict.HIDDEN;
        }
        return !change || role.get().canChangeApps() ? Verdict.ALLOWED : Verdict.READ_ONLY;
    }

    /** Throws the problem the caller gets when the verdict is not {@link Verdict#ALLOWED}. */
    public void require(String app, boolean change) {
        Optional<Caller> caller = caller();
        switch (decide(caller, app, change)) {
            case ALLOWED -> {
            }
            case HIDDEN -> throw notFound(app);
            case READ_ONLY -> throw new ProblemException(Problem.of(403, "Forbidden",
                    "a viewer of team '" + owners.teamOf(app).orElse("?") + "' cannot change app '" + app + "'"));
        }
    }

    /** The answer a caller gets for an app they may not see; the same words as for an app that does not exist. */
    public static ProblemException notFound(String app) {
        return ProblemException.notFound("app '" + app + "' does not exist");
    }

    /** The team that owns {@code app} in the directory. */
    public Optional<String> teamOf(String app) {
        return owners.teamOf(app);
    }

    /**
     * Whether the caller of this request may see {@code app}: for listings of apps that come from
     * elsewhere than the directory (the runtime, the registry, HAProxy), filtered entry by entry.
     * An app no directory knows is shown only to the platform admin and the services.
     */
    public boolean sees(String app) {
        return decide(caller(), app, false) != Verdict.HIDDEN;
    }

    /** The teams whose apps the caller may list. */
    public TeamScope visibleTeams() {
        Optional<Caller> caller = caller();
        if (caller.isEmpty()) {
            return TeamScope.NO_TEAM;
        }
        if (caller.get() instanceof Caller.Member member) {
            return TeamScope.only(member.teams().keySet());
        }
        return TeamScope.EVERY_TEAM;
    }

    /**
     * The team a new app (or anything else created for a team) goes to. The platform admin and the
     * services may name any team and get {@code defaultTeam} when they name none. A member must be a
     * developer or admin of the team they name; one who is a member of exactly one team may leave it
     * out.
     */
    public String teamForNewApp(String requestedTeam, String defaultTeam) {
        Optional<Caller> caller = caller();
        if (caller.isEmpty()) {
            throw new ProblemException(Problem.of(403, "Forbidden", "no caller"));
        }
        if (!(caller.get() instanceof Caller.Member member)) {
            return requestedTeam == null ? defaultTeam : requestedTeam;
        }
        String team = requestedTeam;
        if (team == null) {
            List<String> teams = member.teams().keySet().stream().sorted().toList();
            if (teams.size() != 1) {
                throw ProblemException.invalidField("team", teams.isEmpty()
                        ? "you are a member of no team"
                        : "required: you are a member of " + teams.size() + " teams (" + String.join(", ", teams) + ")");
            }
            team = teams.get(0);
        }
        TeamRole role = member.roleIn(team).orElse(null);
        if (role == null || !role.canChangeApps()) {
            throw new ProblemException(Problem.of(403, "Forbidden", "creating an app for team '" + team
                    + "' takes the role developer or admin in it"
                    + (role == null ? "; you are not a member" : "; you are a " + role.label())));
        }
        return team;
    }
}

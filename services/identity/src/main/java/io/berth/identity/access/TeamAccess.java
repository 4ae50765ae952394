package io.berth.identity.access;

import io.berth.common.problem.ProblemException;
import io.berth.identity.member.Membership;
import io.berth.identity.team.Team;
import io.berth.identity.user.AppUser;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Who may see and change what, decided in one place. A team the caller does not belong to answers
 * 404, as if it did not exist (its existence is not disclosed); a member without the right role
 * gets 403. The platform admin may do everything.
 */
@ApplicationScoped
public class TeamAccess {

    /** The team exists and the caller is a member of it (any role) or the platform admin. */
    public Uni<Team> requireVisible(Actor caller, String team) {
        return existing(team).call(found -> caller.platformAdmin() ? Uni.createFrom().voidItem()
                : Membership.of(team, caller.name()).invoke(m -> {
                    if (m == null) {
                        throw noSuchTeam(team);
                    }
                }));
    }

    /** The team exists and the caller is one of its admins or the platform admin. */
    public Uni<Team> requireAdmin(Actor caller, String team) {
        return existing(team).call(found -> caller.platformAdmin() ? Uni.createFrom().voidItem()
                : Membership.of(team, caller.name()).invoke(m -> {
                    if (m == null) {
                        throw noSuchTeam(team);
                    }
                    if (!m.admin()) {
                        throw Forbidden.because("only an admin of team '" + team + "' may do this; you are a " + m.role);
                    }
                }));
    }

    public void requirePlatformAdmin(Actor caller) {
        if (!caller.platformAdmin()) {
            throw Forbidden.because("only the platform admin may do this");
        }
    }

    /**
     * The user's tokens may be created, listed and revoked by the user, by an admin of one of the
     * user's teams, and by the platform admin. A user who shares no team with the caller answers
     * 404, like a team the caller is not in.
     */
    public Uni<AppUser> requireTokenManager(Actor caller, String user) {
        return AppUser.<AppUser>findById(user).call(found -> {
            if (caller.platformAdmin() && found != null) {
                return Uni.createFrom().voidItem();
            }
            if (found == null || !caller.isUser()) {
                return Uni.createFrom().failure(noSuchUser(user));
            }
            if (caller.name().equals(user)) {
                return Uni.createFrom().voidItem();
            }
            return Membership.<Membership>list("userName = ?1 and team in (select m.team from Membership m "
                    + "where m.userName = ?2)", user, caller.name())
                    .chain(shared -> shared.isEmpty() ? Uni.createFrom().failure(noSuchUser(user))
                            : Membership.<Membership>list("userName = ?1 and role = ?2 and team in ?3", caller.name(),
                                    Membership.ADMIN, shared.stream().map(m -> m.team).toList())
                                    .invoke(adminOf -> {
                                        if (adminOf.isEmpty()) {
                                            throw Forbidden.because("only '" + user + "', an admin of one of "
                                                    + user + "'s teams or the platform admin may manage these tokens");
                                        }
                                    }).replaceWithVoid());
        });
    }

    /** The teams whose audit log the caller may read: null for all (platform admin). */
    public Uni<List<String>> auditableTeams(Actor caller) {
        if (caller.platformAdmin()) {
            return Uni.createFrom().nullItem();
        }
        if (!caller.isUser()) {
            return Uni.createFrom().failure(Forbidden.because("only the platform admin and team admins may read the audit log"));
        }
        return Membership.<Membership>list("userName = ?1 and role = ?2 order by team", caller.name(), Membership.ADMIN)
                .map(adminOf -> {
                    if (adminOf.isEmpty()) {
                        throw Forbidden.because("only the platform admin and team admins may read the audit log");
                    }
                    return adminOf.stream().map(m -> m.team).toList();
                });
    }

    private static Uni<Team> existing(String team) {
        return Team.<Team>findById(team).onItem().ifNull().failWith(() -> noSuchTeam(team));
    }

    public static ProblemException noSuchTeam(String team) {
        return ProblemException.notFound("team '" + team + "' does not exist");
    }

    public static ProblemException noSuchUser(String user) {
        return ProblemException.notFound("user '" + user + "' does not exist");
    }
}

package io.berth.common.access;

import java.util.Set;

/** The teams whose apps a caller may list: every team (platform admin, services) or the caller's own. */
public record TeamScope(boolean everyTeam, Set<String> teams) {
    public static final TeamScope EVERY_TEAM = new TeamScope(true, Set.of());
    public static final TeamScope NO_TEAM = new TeamScope(false, Set.of());

    public TeamScope {
        teams = Set.copyOf(teams);
    }

    public static TeamScope only(Set<String> teams) {
        return new TeamScope(false, teams);
    }

    public boolean includes(String team) {
        return everyTeam || teams.contains(team);
    }
}

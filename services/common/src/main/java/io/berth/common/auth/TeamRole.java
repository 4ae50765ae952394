package io.berth.common.auth;

import java.util.Locale;
import java.util.Optional;

/** A member's role in one team, as the identity service grants it. */
public enum TeamRole {
    /** manages the team's members and tokens, and changes its apps */
    ADMIN,
    /** changes the team's apps */
    DEVELOPER,
    /** reads the team's apps, changes nothing */
    VIEWER;

    public boolean canChangeApps() {
        return this != VIEWER;
    }

    /** The role named on the topic ({@code admin}, {@code developer}, {@code viewer}); empty for any other name. */
    public static Optional<TeamRole> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(name.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

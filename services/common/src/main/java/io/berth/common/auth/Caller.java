package io.berth.common.auth;

import io.quarkus.security.identity.SecurityIdentity;
import java.util.Map;
import java.util.Optional;

/**
 * Who is calling, as the token said; kept on the {@link SecurityIdentity} under {@link #ATTRIBUTE}
 * by {@link TokenIdentityProvider}. Access to apps is decided from it in one place,
 * {@link io.berth.common.access.AppAccess}.
 */
public sealed interface Caller {

    String ATTRIBUTE = "io.berth.caller";

    /** The name that goes into history lines and audit records. */
    String actor();

    /** The member token's id, for rate limits and audit; empty for the bootstrap admin and service tokens. */
    Optional<String> tokenId();

    /**
     * The platform's administrator: the bootstrap token of decision 2 ({@code actor} "admin", no token
     * id) or a user the identity service made a platform admin. Sees and changes every app.
     */
    record PlatformAdmin(String actor, Optional<String> tokenId) implements Caller {
        public static final PlatformAdmin BOOTSTRAP = new PlatformAdmin(TokenIdentityProvider.ADMIN, Optional.empty());
    }

    /** Another Berth service, with the service token. Sees and changes every app. */
    record Service() implements Caller {
        public static final Service INSTANCE = new Service();

        @Override
        public String actor() {
            return TokenIdentityProvider.SERVICE;
        }

        @Override
        public Optional<String> tokenId() {
            return Optional.empty();
        }
    }

    /**
     * A team member: sees the apps of their teams, and changes them where the role allows.
     *
     * @param apiTokenId the id of the token they called with (never the token itself)
     */
    record Member(String user, String apiTokenId, Map<String, TeamRole> teams) implements Caller {
        public Member {
            teams = Map.copyOf(teams);
        }

        @Override
        public String actor() {
            return user;
        }

        @Override
        public Optional<String> tokenId() {
            return Optional.of(apiTokenId);
        }

        public Optional<TeamRole> roleIn(String team) {
            return Optional.ofNullable(team == null ? null : teams.get(team));
        }
    }

    /**
     * The caller of the current request; empty for an anonymous one (health). An identity made by
     * another mechanism without the attribute is read by its roles, admin or service; anything else
     * gets no access to apps.
     */
    static Optional<Caller> of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Optional.empty();
        }
        Caller caller = identity.getAttribute(ATTRIBUTE);
        if (caller != null) {
            return Optional.of(caller);
        }
        if (identity.hasRole(TokenIdentityProvider.SERVICE)) {
            return Optional.of(Service.INSTANCE);
        }
        if (identity.hasRole(TokenIdentityProvider.ADMIN)) {
            return Optional.of(new PlatformAdmin(identity.getPrincipal().getName(), Optional.empty()));
        }
        return Optional.of(new Member(identity.getPrincipal().getName(), identity.getPrincipal().getName(), Map.of()));
    }
}

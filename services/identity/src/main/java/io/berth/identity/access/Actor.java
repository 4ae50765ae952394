package io.berth.identity.access;

import io.berth.common.auth.Caller;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The caller as the identity service needs it: the name it acts under, whether it is the platform
 * admin, and whether it is a user with a row here (a member, or a user made platform admin) rather
 * than the bootstrap admin or service token. Teams and roles are read from the tables at the time
 * of the call, never taken from the token's grant.
 */
public record Actor(String name, boolean platformAdmin, boolean isUser) {

    public static Actor of(SecurityIdentity identity) {
        Caller caller = Caller.of(identity).orElse(Caller.Service.INSTANCE);
        if (caller instanceof Caller.PlatformAdmin admin) {
            return new Actor(admin.actor(), true, admin.tokenId().isPresent());
        }
        if (caller instanceof Caller.Member member) {
            return new Actor(member.user(), false, true);
        }
        // the service token reads its own /api/me and nothing else here
        return new Actor(caller.actor(), false, false);
    }
}

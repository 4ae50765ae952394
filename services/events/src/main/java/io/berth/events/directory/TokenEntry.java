package io.berth.events.directory;

import io.berth.events.Require;
import java.time.Instant;
import java.util.Map;

/**
 * What an API token grants, as the identity service last wrote it to the compacted topic
 * {@code berth.identity} under the token's SHA-256 (hex). Not an event: the latest record per
 * key is the state, and a tombstone means the token no longer works (revoked, deleted, or its
 * user removed). The token itself is never on the topic.
 *
 * @param teams the user's teams and the role in each ({@code admin}, {@code developer}, {@code viewer})
 * @param expiresAt null when the token does not expire
 */
public record TokenEntry(String tokenId, String user, boolean platformAdmin, Map<String, String> teams,
        Instant expiresAt) {
    public TokenEntry {
        Require.text(tokenId, "tokenId");
        Require.text(user, "user");
        teams = teams == null ? Map.of() : Map.copyOf(teams);
    }

    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}

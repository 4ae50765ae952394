package io.berth.common.directory;

import io.berth.events.EventCodec;
import io.berth.events.Topics;
import io.berth.events.directory.TokenEntry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * What each API token grants, from {@code berth.identity}: key = the token's SHA-256 in hex, value
 * = a {@link TokenEntry} as JSON, a tombstone when the token was revoked or deleted.
 */
@ApplicationScoped
public class TokenDirectory extends CompactedTopicDirectory<TokenEntry> {

    public TokenDirectory() {
        super(Topics.IDENTITY);
    }

    @Override
    protected TokenEntry parse(String key, byte[] value) throws IOException {
        return EventCodec.mapper().readValue(value, TokenEntry.class);
    }

    /**
     * Whether the token with this id (not its hash: a long-lived call such as a live tail keeps the
     * caller, not the token) is still in the directory and not expired at {@code at}. A scan, for
     * re-checking an open stream now and then, not for each call.
     */
    public boolean stillValid(String tokenId, Instant at) {
        return values().stream().anyMatch(entry -> entry.tokenId().equals(tokenId) && !entry.expiredAt(at));
    }

    /** The grant of the token whose SHA-256 (hex) this is; empty for an unknown or revoked token. */
    public Optional<TokenEntry> lookup(String tokenSha256Hex) {
        return get(tokenSha256Hex);
    }
}

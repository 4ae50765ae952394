package io.berth.common.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * One token bucket per API token, in this service's memory (decision 6): {@code
 * berth.auth.rate-limit.requests-per-second} sustained, {@code berth.auth.rate-limit.burst} at once.
 * Keys are token ids, never tokens; only authenticated callers get a bucket, so there are at most as
 * many as there are live tokens.
 */
@ApplicationScoped
public class RateLimiter {
    private final boolean enabled;
    private final double perSecond;
    private final int burst;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(@ConfigProperty(name = "berth.auth.rate-limit.enabled") boolean enabled,
            @ConfigProperty(name = "berth.auth.rate-limit.requests-per-second") double perSecond,
            @ConfigProperty(name = "berth.auth.rate-limit.burst") int burst) {
        this.enabled = enabled && perSecond > 0;
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /** Takes a permit for {@code tokenId}: 0 when the call may go on, else the seconds to wait (at least 1). */
    public long secondsToWait(String tokenId) {
        if (!enabled) {
            return 0;
        }
        long now = System.nanoTime();
        long nanos = buckets.computeIfAbsent(tokenId, id -> new TokenBucket(perSecond, burst, now)).take(now);
        return nanos == 0 ? 0 : Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}

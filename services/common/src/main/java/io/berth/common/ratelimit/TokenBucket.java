package io.berth.common.ratelimit;

/**
 * A token bucket: holds up to {@code burst} permits, refilled at {@code perSecond}; a call takes
 * one. Time comes from the caller (nanoseconds, monotonic) so that the arithmetic is testable.
 */
final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private double permits;
    private long refilledAt;

    TokenBucket(double perSecond, int burst, long now) {
        this.perNano = perSecond / 1e9;
        this.capacity = Math.max(1, burst);
        this.permits = capacity;
        this.refilledAt = now;
    }

    /** Takes a permit: 0 when one was there, else how many nanoseconds until one will be. */
    synchronized long take(long now) {
        permits = Math.min(capacity, permits + (now - refilledAt) * perNano);
        refilledAt = now;
        if (permits >= 1) {
            permits -= 1;
            return 0;
        }
        return (long) Math.ceil((1 - permits) / perNano);
    }
}

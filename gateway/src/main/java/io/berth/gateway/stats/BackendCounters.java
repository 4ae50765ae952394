package io.berth.gateway.stats;

/** The cumulative counters of one backend at one moment (show stat's BACKEND row). */
public record BackendCounters(long requests, long responses2xx, long responses5xx, long atNanos) {
}

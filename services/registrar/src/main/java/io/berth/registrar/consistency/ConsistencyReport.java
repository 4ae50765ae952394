package io.berth.registrar.consistency;

import java.time.Instant;
import java.util.List;

/**
 * Whether the registry agrees with the runtime for one app: {@code total} instances the runtime
 * has, {@code ready} of them, {@code registered} (ready and fully present in every backend),
 * {@code unhealthy} (Unready or Failed), and every {@code mismatch} found.
 */
public record ConsistencyReport(String app, Instant checkedAt, int total, int ready, int registered, int unhealthy,
        boolean consistent, List<Mismatch> mismatches) {

    public ConsistencyReport withRegistered(int registeredNow) {
        return new ConsistencyReport(app, checkedAt, total, ready, registeredNow, unhealthy, consistent, mismatches);
    }
}

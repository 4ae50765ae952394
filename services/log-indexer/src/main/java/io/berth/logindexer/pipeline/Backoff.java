package io.berth.logindexer.pipeline;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter: initial * 2^(attempt-1), at most max, plus up to 20 % random. */
public final class Backoff {
    private Backoff() {
    }

    public static Duration delay(Duration initial, Duration max, int attempt) {
        long base = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(base, max.toMillis());
        return Duration.ofMillis(capped + ThreadLocalRandom.current().nextLong(capped / 5 + 1));
    }
}

package io.berth.common.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstThenTheSustainedRate() {
        TokenBucket bucket = new TokenBucket(2, 3, 0);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, bucket.take(0), "call " + i + " of the burst");
        }
        long wait = bucket.take(0);
        assertEquals(SECOND / 2, wait, 1, "one permit every half second");
        assertEquals(0, bucket.take(SECOND / 2));
        assertTrue(bucket.take(SECOND / 2) > 0);
    }

    @Test
    void anIdleBucketRefillsOnlyUpToItsBurst() {
        TokenBucket bucket = new TokenBucket(10, 2, 0);
        bucket.take(0);
        bucket.take(0);
        long later = 60 * SECOND;
        assertEquals(0, bucket.take(later));
        assertEquals(0, bucket.take(later));
        assertTrue(bucket.take(later) > 0);
    }
}

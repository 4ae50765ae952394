package io.berth.autoscaler.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.autoscaler.policy.AutoscalingPolicy;
import io.berth.autoscaler.policy.AutoscalingPolicy.Metric;
import io.berth.autoscaler.policy.AutoscalingPolicy.MetricTarget;
import io.berth.autoscaler.policy.AutoscalingPolicy.Schedule;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Schedules at their window boundaries, with a clock the test sets. */
class BoundsTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    /** Weekdays 09:00 to 10:00 Berlin time at least 4; nights 01:00 for 5 h at most 1. */
    static final AutoscalingPolicy POLICY = new AutoscalingPolicy(1, 6,
            List.of(new MetricTarget(Metric.requestsPerSecond, 50.0, null, null)),
            List.of(new Schedule("0 9 * * 1-5", "Europe/Berlin", 60, 4, null),
                    new Schedule("0 1 * * *", "Europe/Berlin", 300, 0, 1)),
            null, false, false).withDefaults();

    static Instant berlin(String local) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(local), BERLIN).toInstant();
    }

    @Test
    void aFloorHoldsExactlyFromTheWindowsStartToItsEnd() {
        assertEquals(1, Bounds.at(POLICY, berlin("2026-11-23T08:59:59")).min()); // a Monday
        Bounds open = Bounds.at(POLICY, berlin("2026-11-23T09:00:00"));
        assertEquals(4, open.min());
        assertTrue(open.openSchedules().get(0).startsWith("schedules[0]"), open.toString());
        assertEquals(4, Bounds.at(POLICY, berlin("2026-11-23T09:59:59")).min());
        assertEquals(1, Bounds.at(POLICY, berlin("2026-11-23T10:00:00")).min());
        assertEquals(1, Bounds.at(POLICY, berlin("2026-11-22T09:30:00")).min(), "not on a Sunday");
    }

    @Test
    void aCeilingCapsWhatTheMetricsWantAndTheTimeZoneCounts() {
        assertEquals(1, Bounds.at(POLICY, berlin("2026-11-23T03:00:00")).max());
        assertEquals(6, Bounds.at(POLICY, berlin("2026-11-23T06:00:00")).max());
        // 01:30 in Berlin is 00:30 UTC: inside the window
        assertEquals(1, Bounds.at(POLICY, Instant.parse("2026-11-23T00:30:00Z")).max());
        Observations heavy = Observations.of(Map.of(Metric.requestsPerSecond, new Observations.Observed(300, 1, true)));
        Instant night = berlin("2026-11-23T02:00:00");
        var e = Recommender.evaluate(POLICY, 1, heavy, Bounds.at(POLICY, night), List.of(), null, night);
        assertEquals(1, e.target());
        assertTrue(e.reason().contains("capped at the maximum 1"), e.reason());
    }

    @Test
    void aFloorRaisesTheAppAtTheWindowsStartWhateverTheMetricsSay() {
        Instant nine = berlin("2026-11-23T09:00:00");
        var e = Recommender.evaluate(POLICY, 1, Observations.none(), Bounds.at(POLICY, nine), List.of(), nine.minusSeconds(1), nine);
        assertEquals(4, e.target(), e.reason());
    }
}

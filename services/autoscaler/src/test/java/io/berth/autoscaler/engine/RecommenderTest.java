package io.berth.autoscaler.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.autoscaler.policy.AutoscalingPolicy;
import io.berth.autoscaler.policy.AutoscalingPolicy.Behavior;
import io.berth.autoscaler.policy.AutoscalingPolicy.Metric;
import io.berth.autoscaler.policy.AutoscalingPolicy.MetricTarget;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecommenderTest {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    static AutoscalingPolicy rps(double target, int min, int max, Behavior behavior) {
        return new AutoscalingPolicy(min, max, List.of(new MetricTarget(Metric.requestsPerSecond, target, null, null)),
                List.of(), behavior, false, false).withDefaults();
    }

    static Observations requests(double total, int servers) {
        return Observations.of(Map.of(Metric.requestsPerSecond, new Observations.Observed(total, servers, true)));
    }

    static Recommender.Evaluation eval(AutoscalingPolicy p, int current, Observations o, List<Recommender.Recommendation> history,
            Instant last, Instant now) {
        return Recommender.evaluate(p, current, o, Bounds.at(p, now), history, last, now);
    }

    @Test
    void theProportionalRuleAsksForTheTotalOverTheTarget() {
        var e = eval(rps(50, 1, 6, null), 1, requests(250, 1), List.of(), null, T0);
        assertEquals(5, e.target());
        assertTrue(e.reason().contains("1 x 5.0 = 5.0 instances' worth, so 5"), e.reason());
        assertEquals(250.0, ((Map<?, ?>) e.inputs().get("requestsPerSecond")).get("perInstance"));
    }

    @Test
    void aPercentOfMeasurementNoiseDoesNotBuyAnInstance() {
        assertEquals(5, eval(rps(50, 1, 6, null), 1, requests(253.4, 1), List.of(), null, T0).target());
        assertEquals(6, eval(rps(50, 1, 6, null), 1, requests(280, 1), List.of(), null, T0).target());
    }

    @Test
    void withinTheToleranceNothingMoves() {
        var e = eval(rps(50, 1, 6, null), 4, requests(212, 4), List.of(), null, T0);
        assertEquals(4, e.target(), e.reason());
    }

    @Test
    void theBoundsAndTheStepLimitHold() {
        assertEquals(6, eval(rps(50, 1, 6, null), 1, requests(1000, 1), List.of(), null, T0).target());
        var limited = eval(rps(50, 1, 10, new Behavior(0, 0, 2, 1, 0, 0.1)), 1, requests(500, 1), List.of(), null, T0);
        assertEquals(3, limited.target());
        assertTrue(limited.reason().contains("step limited to +2"), limited.reason());
        assertEquals(2, eval(rps(50, 2, 6, null), 3, requests(0, 3), List.of(), null, T0.plusSeconds(600)).target());
    }

    @Test
    void missingMetricsNeverScaleDown() {
        var e = eval(rps(50, 1, 6, new Behavior(0, 0, 10, 10, 0, 0.1)), 4, Observations.none(), List.of(), null, T0);
        assertEquals(4, e.target());
        assertTrue(e.reason().contains("no recent samples"), e.reason());
    }

    @Test
    void aScaleDownWaitsForItsWholeWindowOfLowerRecommendations() {
        AutoscalingPolicy p = rps(50, 1, 6, new Behavior(0, 30, 10, 10, 0, 0.1));
        List<Recommender.Recommendation> history = List.of(new Recommender.Recommendation(T0, 5),
                new Recommender.Recommendation(T0.plusSeconds(10), 1));
        var held = eval(p, 5, requests(10, 5), history, null, T0.plusSeconds(20));
        assertEquals(5, held.target(), held.reason());
        assertTrue(held.reason().contains("scale down held"), held.reason());
        var after = eval(p, 5, requests(10, 5), List.of(new Recommender.Recommendation(T0.plusSeconds(10), 1)), null,
                T0.plusSeconds(35));
        assertEquals(1, after.target(), after.reason());
    }

    @Test
    void aScaleUpStabilizationTakesTheLowestRecentRecommendation() {
        AutoscalingPolicy p = rps(50, 1, 6, new Behavior(20, 0, 10, 10, 0, 0.1));
        var e = eval(p, 2, requests(300, 2), List.of(new Recommender.Recommendation(T0.minusSeconds(10), 3)), null, T0);
        assertEquals(3, e.target(), e.reason());
    }

    @Test
    void theCooldownHoldsUnlessTheBoundsDemandAMove() {
        AutoscalingPolicy p = rps(50, 2, 6, new Behavior(0, 0, 10, 10, 30, 0.1));
        var cooling = eval(p, 2, requests(250, 2), List.of(), T0.minusSeconds(10), T0);
        assertEquals(2, cooling.target());
        assertTrue(cooling.reason().contains("cooldown"), cooling.reason());
        var belowMin = eval(p, 1, requests(10, 1), List.of(), T0.minusSeconds(10), T0);
        assertEquals(2, belowMin.target(), belowMin.reason());
    }
}

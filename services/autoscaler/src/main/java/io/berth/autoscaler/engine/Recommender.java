package io.berth.autoscaler.engine;

import io.berth.autoscaler.policy.AutoscalingPolicy;
import io.berth.autoscaler.policy.AutoscalingPolicy.Behavior;
import io.berth.autoscaler.policy.AutoscalingPolicy.MetricTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One evaluation of one app, as a pure function: each metric recommends replicas with the
 * proportional rule desired = ceil(instances x observed / target), on the way up the fewest
 * instances that bring the load within the tolerance band (nothing moves within the band; a metric without recent samples recommends the current count, so missing
 * metrics never scale down), the largest recommendation wins, the stabilization windows pick
 * the lowest recent recommendation for a scale up and the highest for a scale down, the step
 * limits cap the move, and the bounds (schedules included) clamp it. Within the cooldown after a
 * decision nothing moves, unless the bounds demand it.
 */
public final class Recommender {
    private Recommender() {
    }

    /** A past recommendation, for the stabilization windows. */
    public record Recommendation(Instant at, int replicas) {
    }

    public record Evaluation(int current, int recommended, int target, String reason, Map<String, Object> inputs) {
        public boolean changes() {
            return target != current;
        }
    }

    public static Evaluation evaluate(AutoscalingPolicy policy, int current, Observations observed, Bounds bounds,
            List<Recommendation> history, Instant lastDecision, Instant now) {
        Behavior behavior = policy.behavior();
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("currentReplicas", current);
        List<String> why = new ArrayList<>();

        int recommended = policy.metrics().isEmpty() ? current : 0;
        for (MetricTarget m : policy.metrics()) {
            int wants = recommend(m, current, observed, behavior.tolerance(), why, inputs);
            recommended = Math.max(recommended, wants);
        }

        // stabilization over this evaluation and the recent ones
        List<Recommendation> recent = new ArrayList<>(history);
        recent.add(new Recommendation(now, recommended));
        int upCandidate = lowestSince(recent, now.minusSeconds(behavior.scaleUpStabilizationSeconds()), recommended);
        int downCandidate = highestSince(recent, now.minusSeconds(behavior.scaleDownStabilizationSeconds()), recommended);
        int target = current;
        if (upCandidate > current) {
            target = Math.min(upCandidate, current + behavior.maxScaleUpStep());
            if (target < upCandidate) {
                why.add("step limited to +" + behavior.maxScaleUpStep());
            }
        } else if (downCandidate < current) {
            target = Math.max(downCandidate, current - behavior.maxScaleDownStep());
            if (target > downCandidate) {
                why.add("step limited to -" + behavior.maxScaleDownStep());
            }
        } else if (recommended < current) {
            why.add("scale down held: " + downCandidate + " recommended within the last "
                    + behavior.scaleDownStabilizationSeconds() + " s");
        } else if (recommended > current) {
            why.add("scale up held: " + upCandidate + " recommended within the last "
                    + behavior.scaleUpStabilizationSeconds() + " s");
        }

        int bounded = bounds.clamp(target);
        inputs.put("minReplicas", bounds.min());
        inputs.put("maxReplicas", bounds.max());
        if (!bounds.openSchedules().isEmpty()) {
            inputs.put("openSchedules", bounds.openSchedules());
        }
        if (bounded != target) {
            why.add((bounded > target ? "raised to the minimum " : "capped at the maximum ") + bounded
                    + (bounds.openSchedules().isEmpty() ? "" : " (open: " + String.join(", ", bounds.openSchedules()) + ")"));
        }
        boolean boundsDemand = bounds.clamp(current) != current;
        if (bounded != current && !boundsDemand && lastDecision != null
                && Duration.between(lastDecision, now).getSeconds() < behavior.cooldownSeconds()) {
            why.add("cooldown: the last decision was " + Duration.between(lastDecision, now).getSeconds() + " s ago");
            bounded = current;
        }
        inputs.put("recommended", recommended);
        String reason = (bounded == current ? "stay at " : "scale " + current + " -> ") + bounded + ": "
                + String.join("; ", why.isEmpty() ? List.of("within the tolerance of every target") : why);
        return new Evaluation(current, recommended, bounded, reason, inputs);
    }

    private static int recommend(MetricTarget m, int current, Observations observed, double tolerance, List<String> why,
            Map<String, Object> inputs) {
        var value = observed.of(m.metric());
        if (value.isEmpty()) {
            why.add(m.metric() + ": no recent samples, holds at " + current);
            inputs.put(m.metric().name(), "missing");
            return current;
        }
        Observations.Observed o = value.get();
        double perInstance = o.perInstance();
        inputs.put(m.metric().name(), Map.of("perInstance", round(perInstance), "target", m.target(),
                "instancesMeasured", o.instances()));
        double ratio = perInstance / m.target();
        if (Math.abs(ratio - 1) <= tolerance) {
            why.add(m.metric() + " " + round(perInstance) + " per instance is within " + Math.round(tolerance * 100)
                    + "% of " + m.target());
            return current;
        }
        int base = Math.max(1, o.instances());
        double exact = base * ratio;
        // up: the fewest instances that bring the load within the band (measurement noise of a
        // percent must not buy a whole instance); down: enough to be at or below the target
        int wants = ratio > 1 ? (int) Math.ceil(exact / (1 + tolerance) - 1e-9) : (int) Math.ceil(exact - 1e-9);
        why.add(m.metric() + " " + round(perInstance) + " per instance vs target " + m.target() + ": " + base + " x "
                + round(ratio) + " = " + round(exact) + " instances' worth, so " + wants);
        return wants;
    }

    private static int lowestSince(List<Recommendation> recent, Instant since, int fallback) {
        return recent.stream().filter(r -> !r.at().isBefore(since)).mapToInt(Recommendation::replicas).min().orElse(fallback);
    }

    private static int highestSince(List<Recommendation> recent, Instant since, int fallback) {
        return recent.stream().filter(r -> !r.at().isBefore(since)).mapToInt(Recommendation::replicas).max().orElse(fallback);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}

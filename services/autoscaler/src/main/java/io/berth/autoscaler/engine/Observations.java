package io.berth.autoscaler.engine;

import io.berth.autoscaler.policy.AutoscalingPolicy.Metric;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * What was measured of one app over the recent window, per metric: the app-wide total or
 * average, and over how many instances it was measured. A metric without recent samples is absent.
 */
public record Observations(Map<Metric, Observed> values) {

    /** {@code total}: the sum over the app (requests/s, sessions, lag) or the average (time, percentages). */
    public record Observed(double total, int instances, boolean summed) {
        public double perInstance() {
            return summed ? total / Math.max(1, instances) : total;
        }
    }

    public static Observations none() {
        return new Observations(Map.of());
    }

    public Optional<Observed> of(Metric metric) {
        return Optional.ofNullable(values.get(metric));
    }

    public static Observations of(Map<Metric, Observed> values) {
        return new Observations(values.isEmpty() ? Map.of() : new EnumMap<>(values));
    }
}

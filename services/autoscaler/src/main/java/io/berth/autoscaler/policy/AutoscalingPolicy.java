package io.berth.autoscaler.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * How one app scales: metric targets (the replicas each would want, the largest wins), bounds,
 * time windows that move the bounds (CronHPA-style), and how fast it may move. A singleton app
 * is never scaled and may carry no metric or schedule. {@code dryRun}: decide and explain, but
 * never publish.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AutoscalingPolicy(
        @NotNull @Min(0) @Max(1000) Integer minReplicas,
        @NotNull @Min(0) @Max(1000) Integer maxReplicas,
        @Size(max = 10) List<@Valid @NotNull MetricTarget> metrics,
        @Size(max = 20) List<@Valid @NotNull Schedule> schedules,
        @Valid Behavior behavior,
        boolean singleton,
        boolean dryRun) {

    /**
     * A target per instance: {@code requestsPerSecond}, {@code sessions}, {@code responseTimeMillis}
     * (HAProxy's average over the last 1024 requests), {@code cpuPercent} and {@code memoryPercent}
     * (of the release's resources), or {@code kafkaLag} of {@code group} on {@code topic}.
     */
    public record MetricTarget(
            @NotNull Metric metric,
            @NotNull @DecimalMin(value = "0.001") @jakarta.validation.constraints.DecimalMax(value = "1000000000", message = "must be at most 1000000000 per instance") Double target,
            @Size(max = 200) String group,
            @Size(max = 249) String topic) {
    }

    public enum Metric {
        requestsPerSecond, sessions, responseTimeMillis, cpuPercent, memoryPercent, kafkaLag
    }

    /**
     * From each start of {@code cron} (5 fields, in {@code timeZone}) for {@code durationMinutes},
     * the app's bounds are at least {@code minReplicas} and (if set) at most {@code maxReplicas}.
     */
    public record Schedule(
            @NotNull @Size(max = 100) String cron,
            @Size(max = 60) @Pattern(regexp = "[A-Za-z0-9_+/-]+", message = "must be a time zone id") String timeZone,
            @NotNull @Min(1) @Max(10_080) Integer durationMinutes,
            @NotNull @Min(0) @Max(1000) Integer minReplicas,
            @Min(0) @Max(1000) Integer maxReplicas) {
    }

    /**
     * Like a Kubernetes HPA's behaviour: a scale up takes the lowest recommendation of the last
     * {@code scaleUpStabilizationSeconds}, a scale down the highest of the last
     * {@code scaleDownStabilizationSeconds}; one step adds or removes at most
     * {@code maxScaleUpStep} / {@code maxScaleDownStep} instances; after a decision the app is
     * left alone for {@code cooldownSeconds}; a metric within {@code tolerance} of its target moves nothing.
     */
    public record Behavior(
            @Min(0) @Max(3600) Integer scaleUpStabilizationSeconds,
            @Min(0) @Max(3600) Integer scaleDownStabilizationSeconds,
            @Min(1) @Max(1000) Integer maxScaleUpStep,
            @Min(1) @Max(1000) Integer maxScaleDownStep,
            @Min(0) @Max(3600) Integer cooldownSeconds,
            @DecimalMin("0") @jakarta.validation.constraints.DecimalMax("0.9") Double tolerance) {

        public static final Behavior DEFAULT = new Behavior(0, 60, 10, 10, 5, 0.1);

        public Behavior withDefaults() {
            return new Behavior(
                    or(scaleUpStabilizationSeconds, DEFAULT.scaleUpStabilizationSeconds),
                    or(scaleDownStabilizationSeconds, DEFAULT.scaleDownStabilizationSeconds),
                    or(maxScaleUpStep, DEFAULT.maxScaleUpStep),
                    or(maxScaleDownStep, DEFAULT.maxScaleDownStep),
                    or(cooldownSeconds, DEFAULT.cooldownSeconds),
                    tolerance == null ? DEFAULT.tolerance : tolerance);
        }

        private static int or(Integer value, int fallback) {
            return value == null ? fallback : value;
        }
    }

    /** As stored: lists present, behaviour with every default filled in. */
    public AutoscalingPolicy withDefaults() {
        return new AutoscalingPolicy(minReplicas, maxReplicas, metrics == null ? List.of() : metrics,
                schedules == null ? List.of() : schedules,
                (behavior == null ? Behavior.DEFAULT : behavior).withDefaults(), singleton, dryRun);
    }
}

package io.berth.autoscaler.policy;

import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.berth.common.problem.Problem;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks that need more than one field: bounds that contradict, a singleton with policies,
 * a lag metric without its group and topic, cron expressions and time zones, and schedules whose
 * windows overlap with bounds that cannot both hold (checked over the next {@link #HORIZON}).
 * Pure: a policy and a time in, the offending fields out.
 */
public final class PolicyValidator {
    static final Duration HORIZON = Duration.ofDays(14);
    private static final int MAX_OCCURRENCES = 5_000;
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(
            com.cronutils.model.CronType.UNIX));

    private PolicyValidator() {
    }

    public static List<Problem.FieldError> check(AutoscalingPolicy policy, ZonedDateTime now) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (policy.minReplicas() > policy.maxReplicas()) {
            errors.add(new Problem.FieldError("minReplicas", "must not be above maxReplicas (" + policy.maxReplicas() + ")"));
        }
        List<AutoscalingPolicy.MetricTarget> metrics = policy.metrics() == null ? List.of() : policy.metrics();
        List<AutoscalingPolicy.Schedule> schedules = policy.schedules() == null ? List.of() : policy.schedules();
        if (policy.singleton() && (!metrics.isEmpty() || !schedules.isEmpty())) {
            errors.add(new Problem.FieldError(metrics.isEmpty() ? "schedules" : "metrics",
                    "a singleton app is never scaled: it takes no metric or schedule"));
        }
        Set<AutoscalingPolicy.Metric> seen = new HashSet<>();
        for (int i = 0; i < metrics.size(); i++) {
            AutoscalingPolicy.MetricTarget m = metrics.get(i);
            if (!seen.add(m.metric())) {
                errors.add(new Problem.FieldError("metrics[" + i + "].metric", m.metric() + " appears twice"));
            }
            if (m.metric() == AutoscalingPolicy.Metric.kafkaLag) {
                if (m.group() == null || m.group().isBlank()) {
                    errors.add(new Problem.FieldError("metrics[" + i + "].group", "kafkaLag needs the consumer group"));
                }
                if (m.topic() == null || m.topic().isBlank()) {
                    errors.add(new Problem.FieldError("metrics[" + i + "].topic", "kafkaLag needs the topic"));
                }
            }
            if (m.metric() == AutoscalingPolicy.Metric.cpuPercent || m.metric() == AutoscalingPolicy.Metric.memoryPercent) {
                if (m.target() > 100) {
                    errors.add(new Problem.FieldError("metrics[" + i + "].target", "a percentage of the release's "
                            + "resources: at most 100"));
                }
            }
        }
        List<List<Window>> windows = new ArrayList<>();
        for (int i = 0; i < schedules.size(); i++) {
            AutoscalingPolicy.Schedule s = schedules.get(i);
            String at = "schedules[" + i + "].";
            if (s.maxReplicas() != null && s.maxReplicas() < s.minReplicas()) {
                errors.add(new Problem.FieldError(at + "maxReplicas", "must not be below its minReplicas (" + s.minReplicas() + ")"));
            }
            if (s.minReplicas() > policy.maxReplicas()) {
                errors.add(new Problem.FieldError(at + "minReplicas", "must not be above the policy's maxReplicas ("
                        + policy.maxReplicas() + ")"));
            }
            if (s.maxReplicas() != null && s.maxReplicas() < policy.minReplicas()) {
                errors.add(new Problem.FieldError(at + "maxReplicas", "must not be below the policy's minReplicas ("
                        + policy.minReplicas() + ")"));
            }
            Optional<ZoneId> zone = zone(s, at, errors);
            Optional<ExecutionTime> cron = cron(s, at, errors);
            windows.add(zone.isPresent() && cron.isPresent()
                    ? windows(cron.get(), now.withZoneSameInstant(zone.get()), Duration.ofMinutes(s.durationMinutes()))
                    : List.of());
        }
        for (int i = 0; i < schedules.size(); i++) {
            for (int j = i + 1; j < schedules.size(); j++) {
                if (contradict(schedules.get(i), schedules.get(j)) && overlap(windows.get(i), windows.get(j))) {
                    errors.add(new Problem.FieldError("schedules[" + j + "]", "overlaps schedules[" + i
                            + "] and their bounds contradict (one's minReplicas is above the other's maxReplicas)"));
                }
            }
        }
        return errors;
    }

    /** Parses a 5-field cron expression, or says why not. */
    public static Optional<ExecutionTime> cron(AutoscalingPolicy.Schedule s, String at, List<Problem.FieldError> errors) {
        try {
            return Optional.of(ExecutionTime.forCron(CRON.parse(s.cron())));
        } catch (IllegalArgumentException e) {
            errors.add(new Problem.FieldError(at + "cron", "not a 5-field cron expression: " + e.getMessage()));
            return Optional.empty();
        }
    }

    public static Optional<ZoneId> zone(AutoscalingPolicy.Schedule s, String at, List<Problem.FieldError> errors) {
        try {
            return Optional.of(s.timeZone() == null ? java.time.ZoneOffset.UTC : ZoneId.of(s.timeZone()));
        } catch (DateTimeException e) {
            errors.add(new Problem.FieldError(at + "timeZone", "unknown time zone '" + s.timeZone() + "'"));
            return Optional.empty();
        }
    }

    private static boolean contradict(AutoscalingPolicy.Schedule a, AutoscalingPolicy.Schedule b) {
        return (b.maxReplicas() != null && a.minReplicas() > b.maxReplicas())
                || (a.maxReplicas() != null && b.minReplicas() > a.maxReplicas());
    }

    record Window(ZonedDateTime start, ZonedDateTime end) {
    }

    private static List<Window> windows(ExecutionTime cron, ZonedDateTime from, Duration length) {
        List<Window> windows = new ArrayList<>();
        // a window that began before now may still be open
        cron.lastExecution(from).ifPresent(last -> windows.add(new Window(last, last.plus(length))));
        ZonedDateTime until = from.plus(HORIZON);
        ZonedDateTime t = from;
        while (windows.size() < MAX_OCCURRENCES) {
            Optional<ZonedDateTime> next = cron.nextExecution(t);
            if (next.isEmpty() || next.get().isAfter(until)) {
                break;
            }
            windows.add(new Window(next.get(), next.get().plus(length)));
            t = next.get();
        }
        return windows;
    }

    private static boolean overlap(List<Window> a, List<Window> b) {
        for (Window x : a) {
            for (Window y : b) {
                if (x.start().toInstant().isBefore(y.end().toInstant()) && y.start().toInstant().isBefore(x.end().toInstant())) {
                    return true;
                }
            }
        }
        return false;
    }
}

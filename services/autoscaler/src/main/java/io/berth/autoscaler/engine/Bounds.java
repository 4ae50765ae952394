package io.berth.autoscaler.engine;

import io.berth.autoscaler.policy.AutoscalingPolicy;
import io.berth.autoscaler.policy.PolicyValidator;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The replicas an app may have at {@code now}: the policy's bounds, raised and lowered by the
 * schedules whose window is open. An open window's minReplicas is a floor (the highest floor
 * wins) and its maxReplicas a ceiling (the lowest wins); a floor above the ceiling wins, so a
 * planned peak is never capped. Pure.
 */
public record Bounds(int min, int max, List<String> openSchedules) {

    public static Bounds at(AutoscalingPolicy policy, Instant now) {
        int min = policy.minReplicas();
        int max = policy.maxReplicas();
        List<String> open = new ArrayList<>();
        List<AutoscalingPolicy.Schedule> schedules = policy.schedules() == null ? List.of() : policy.schedules();
        for (int i = 0; i < schedules.size(); i++) {
            AutoscalingPolicy.Schedule s = schedules.get(i);
            List<io.berth.common.problem.Problem.FieldError> ignored = new ArrayList<>();
            var cron = PolicyValidator.cron(s, "", ignored);
            var zone = PolicyValidator.zone(s, "", ignored);
            if (cron.isEmpty() || zone.isEmpty()) {
                continue;
            }
            ZonedDateTime local = now.atZone(zone.get());
            // a window is open when its latest start (at or before now) is less than its length ago
            ZonedDateTime probe = local.plusNanos(1);
            var start = cron.get().lastExecution(probe);
            if (start.isPresent() && !start.get().plusMinutes(s.durationMinutes()).toInstant().isAfter(now)) {
                continue;
            }
            if (start.isEmpty()) {
                continue;
            }
            open.add("schedules[" + i + "] (" + s.cron() + " " + zoneName(zone.get()) + ", " + s.durationMinutes() + " min)");
            min = Math.max(min, s.minReplicas());
            if (s.maxReplicas() != null) {
                max = Math.min(max, s.maxReplicas());
            }
        }
        return new Bounds(min, Math.max(min, max), open);
    }

    public int clamp(int replicas) {
        return Math.max(min, Math.min(max, replicas));
    }

    private static String zoneName(ZoneId zone) {
        return zone.getId();
    }
}

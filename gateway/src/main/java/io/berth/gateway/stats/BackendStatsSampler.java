package io.berth.gateway.stats;

import io.berth.events.metric.BackendStats;
import io.berth.gateway.haproxy.HaproxyNames;
import io.berth.gateway.haproxy.RuntimeAnswers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns two {@code show stat} samples into one BackendStats per app backend: request rate and 2xx/5xx
 * as deltas over the time between the samples (a counter that went down means HAProxy reloaded and
 * started from zero: its value is the delta), response time, queue, sessions and active servers as
 * HAProxy reports them now. Pure apart from the counters it keeps for the next sample.
 */
public final class BackendStatsSampler {
    private Map<String, BackendCounters> previous = new HashMap<>();

    /** @return one BackendStats per app backend that was also in the previous sample */
    public List<BackendStats> sample(String showStat, long nowNanos) {
        List<BackendStats> stats = new ArrayList<>();
        Map<String, BackendCounters> current = new HashMap<>();
        for (Map<String, String> row : RuntimeAnswers.stat(showStat)) {
            if (!"BACKEND".equals(row.get("svname"))) {
                continue;
            }
            Optional<String> app = HaproxyNames.appOf(row.getOrDefault("pxname", ""));
            if (app.isEmpty()) {
                continue;
            }
            BackendCounters now = new BackendCounters(num(row, "req_tot"), num(row, "hrsp_2xx"), num(row, "hrsp_5xx"),
                    nowNanos);
            current.put(app.get(), now);
            BackendCounters before = previous.get(app.get());
            if (before == null || nowNanos - before.atNanos() <= 0) {
                continue;
            }
            long intervalMillis = Math.max(1, (nowNanos - before.atNanos()) / 1_000_000);
            long requests = delta(now.requests(), before.requests());
            stats.add(new BackendStats(app.get(), intervalMillis, requests * 1000.0 / intervalMillis,
                    delta(now.responses2xx(), before.responses2xx()), delta(now.responses5xx(), before.responses5xx()),
                    num(row, "rtime"), num(row, "qcur"), num(row, "scur"), (int) num(row, "act")));
        }
        previous = current;
        return stats;
    }

    private static long delta(long now, long before) {
        return now >= before ? now - before : now;
    }

    private static long num(Map<String, String> row, String column) {
        String value = row.get(column);
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

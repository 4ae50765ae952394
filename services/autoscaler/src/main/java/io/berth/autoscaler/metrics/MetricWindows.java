package io.berth.autoscaler.metrics;

import io.berth.autoscaler.engine.Observations;
import io.berth.autoscaler.policy.AutoscalingPolicy.Metric;
import io.berth.events.metric.BackendStats;
import io.berth.events.metric.InstanceUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent samples of each app, in memory: HAProxy's per-backend statistics (from the
 * gateway) and each instance's CPU and memory (from the agent). Samples older than the window
 * are dropped; what is averaged over it is what the autoscaler acts on.
 */
public final class MetricWindows {
    private final Duration window;
    private final Map<String, Deque<Sample<BackendStats>>> backends = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Sample<InstanceUsage>>> usage = new ConcurrentHashMap<>();

    record Sample<T>(Instant at, T value) {
    }

    public MetricWindows(Duration window) {
        this.window = window;
    }

    public void add(BackendStats stats, Instant at) {
        Deque<Sample<BackendStats>> samples = backends.computeIfAbsent(stats.app(), a -> new ArrayDeque<>());
        synchronized (samples) {
            samples.addLast(new Sample<>(at, stats));
            trim(samples, at);
        }
    }

    public void add(InstanceUsage sample, Instant at) {
        usage.computeIfAbsent(sample.app(), a -> new ConcurrentHashMap<>()).put(sample.instance(), new Sample<>(at, sample));
    }

    /**
     * Averages over the window ending at {@code now}. {@code cpuMillis} and {@code memoryMiB} are the
     * release's resources, which the percentages are of (null: no percentage can be given).
     */
    public Observations observe(String app, Instant now, Integer cpuMillis, Integer memoryMiB) {
        Map<Metric, Observations.Observed> values = new EnumMap<>(Metric.class);
        Instant since = now.minus(window);
        Deque<Sample<BackendStats>> samples = backends.get(app);
        if (samples != null) {
            List<BackendStats> recent;
            synchronized (samples) {
                trim(samples, now);
                recent = samples.stream().filter(s -> !s.at().isBefore(since)).map(Sample::value).toList();
            }
            if (!recent.isEmpty()) {
                int servers = (int) Math.round(recent.stream().mapToInt(BackendStats::activeServers).average().orElse(0));
                double rps = recent.stream().mapToDouble(BackendStats::requestsPerSecond).average().orElse(0);
                double sessions = recent.stream().mapToLong(BackendStats::sessions).average().orElse(0);
                double time = recent.stream().mapToDouble(BackendStats::responseTimeMillis).average().orElse(0);
                values.put(Metric.requestsPerSecond, new Observations.Observed(rps, servers, true));
                values.put(Metric.sessions, new Observations.Observed(sessions, servers, true));
                values.put(Metric.responseTimeMillis, new Observations.Observed(time, servers, false));
            }
        }
        Map<String, Sample<InstanceUsage>> instances = usage.getOrDefault(app, Map.of());
        instances.values().removeIf(s -> s.at().isBefore(now.minus(window.multipliedBy(3))));
        List<InstanceUsage> fresh = instances.values().stream().filter(s -> !s.at().isBefore(since)).map(Sample::value).toList();
        if (!fresh.isEmpty()) {
            if (cpuMillis != null) {
                // cpuPercent is of one core; the target is a percentage of the release's CPU
                double ofRelease = fresh.stream().mapToDouble(u -> u.cpuPercent() * 1000.0 / cpuMillis).average().orElse(0);
                values.put(Metric.cpuPercent, new Observations.Observed(ofRelease, fresh.size(), false));
            }
            if (memoryMiB != null) {
                double ofRelease = fresh.stream()
                        .mapToDouble(u -> 100.0 * u.memoryBytes() / (memoryMiB * 1024.0 * 1024.0)).average().orElse(0);
                values.put(Metric.memoryPercent, new Observations.Observed(ofRelease, fresh.size(), false));
            }
        }
        return Observations.of(values);
    }

    private void trim(Deque<Sample<BackendStats>> samples, Instant now) {
        Instant keepFrom = now.minus(window.multipliedBy(3));
        while (!samples.isEmpty() && samples.peekFirst().at().isBefore(keepFrom)) {
            samples.removeFirst();
        }
    }
}

package io.berth.console.readmodel;

import io.berth.events.metric.BackendStats;
import io.berth.events.metric.InstanceUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One app's metrics over the last hour in 10-second steps, by the time each sample was taken (the
 * event's time, so a console that re-reads the topic draws the same chart). A ring of
 * {@link #STEPS_KEPT} steps: a step older than an hour is overwritten by a new one, and a sample for
 * a step older than the one in its slot is dropped. Thread-safe.
 */
public final class MetricSeries {
    public static final Duration STEP = Duration.ofSeconds(10);
    public static final Duration KEPT = Duration.ofHours(1);
    public static final int STEPS_KEPT = (int) (KEPT.toMillis() / STEP.toMillis());

    /** What one step gathered; mutable, only ever touched under the series' lock. */
    static final class Step {
        final long index;
        double requests;
        long millis;
        long responses5xx;
        double latencySum;
        int latencySamples;
        final Map<String, Usage> usage = new HashMap<>();

        Step(long index) {
            this.index = index;
        }

        void add(BackendStats stats) {
            requests += stats.requestsPerSecond() * stats.intervalMillis() / 1000.0;
            millis += stats.intervalMillis();
            responses5xx += stats.responses5xx();
            latencySum += stats.responseTimeMillis();
            latencySamples++;
        }

        void add(InstanceUsage sample) {
            Usage u = usage.computeIfAbsent(sample.instance(), i -> new Usage());
            u.cpuSum += sample.cpuPercent();
            u.cpuSamples++;
            u.memoryBytes = sample.memoryBytes();
        }

        void addAll(Step other) {
            requests += other.requests;
            millis += other.millis;
            responses5xx += other.responses5xx;
            latencySum += other.latencySum;
            latencySamples += other.latencySamples;
        }
    }

    static final class Usage {
        double cpuSum;
        int cpuSamples;
        long memoryBytes;
    }

    private final Step[] ring = new Step[STEPS_KEPT + 1];

    public static long stepOf(Instant at) {
        return Math.floorDiv(at.toEpochMilli(), STEP.toMillis());
    }

    public static Instant startOf(long step) {
        return Instant.ofEpochMilli(step * STEP.toMillis());
    }

    public synchronized void add(BackendStats stats, Instant at) {
        Step step = stepFor(stepOf(at));
        if (step != null) {
            step.add(stats);
        }
    }

    public synchronized void add(InstanceUsage usage, Instant at) {
        Step step = stepFor(stepOf(at));
        if (step != null) {
            step.add(usage);
        }
    }

    private Step stepFor(long index) {
        int slot = (int) Math.floorMod(index, (long) ring.length);
        Step held = ring[slot];
        if (held == null || held.index < index) {
            ring[slot] = new Step(index);
            return ring[slot];
        }
        return held.index == index ? held : null;
    }

    /** The last {@code minutes} of steps up to and including the one {@code now} is in, oldest first. */
    public synchronized List<MetricPoint> points(Instant now, int minutes) {
        long last = stepOf(now);
        long count = Duration.ofMinutes(minutes).toMillis() / STEP.toMillis();
        List<MetricPoint> points = new ArrayList<>((int) count);
        for (long index = last - count + 1; index <= last; index++) {
            points.add(point(index, held(index)));
        }
        return points;
    }

    /** The traffic of the last {@code steps} steps up to {@code now}, as one point (null fields: no sample). */
    public synchronized MetricPoint recentTraffic(Instant now, int steps) {
        long last = stepOf(now);
        Step sum = new Step(last);
        for (long index = last - steps + 1; index <= last; index++) {
            Step step = held(index);
            if (step != null) {
                sum.addAll(step);
            }
        }
        return point(last, sum);
    }

    private Step held(long index) {
        Step step = ring[(int) Math.floorMod(index, (long) ring.length)];
        return step != null && step.index == index ? step : null;
    }

    /** A step as a point: pure. */
    static MetricPoint point(long index, Step step) {
        Instant at = startOf(index);
        if (step == null) {
            return new MetricPoint(at, null, null, null, null, null, null, null);
        }
        Double rps = null;
        Double latency = null;
        Double errorRate = null;
        Long errors = null;
        if (step.latencySamples > 0) {
            rps = step.millis == 0 ? 0.0 : step.requests * 1000.0 / step.millis;
            latency = step.latencySum / step.latencySamples;
            errors = step.responses5xx;
            errorRate = step.requests < 0.5 ? 0.0 : Math.min(1.0, step.responses5xx / Math.rint(step.requests));
        }
        Integer instances = null;
        Double cpu = null;
        Long memory = null;
        if (!step.usage.isEmpty()) {
            instances = step.usage.size();
            double cpuSum = 0;
            long memorySum = 0;
            for (Usage u : step.usage.values()) {
                cpuSum += u.cpuSum / u.cpuSamples;
                memorySum += u.memoryBytes;
            }
            cpu = cpuSum;
            memory = memorySum;
        }
        return new MetricPoint(at, rps, latency, errorRate, errors, instances, cpu, memory);
    }
}

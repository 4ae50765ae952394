package io.berth.console.readmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.events.instance.InstanceState;
import io.berth.events.instance.InstanceStateChanged;
import io.berth.events.metric.BackendStats;
import io.berth.events.metric.InstanceUsage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricSeriesTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final String APP = "web";

    private static BackendStats stats(double rps, long ok, long errors, double latency) {
        return new BackendStats(APP, 1000, rps, ok, errors, latency, 0, 1, 2);
    }

    @Test
    void oneStepPerTenSecondsOldestFirstWithNullsWhereNothingWasMeasured() {
        MetricSeries series = new MetricSeries();
        series.add(stats(10, 10, 0, 20), T0.plusSeconds(1));
        series.add(stats(30, 27, 3, 40), T0.plusSeconds(2));
        series.add(new InstanceUsage(APP, "w1", 10, 100), T0.plusSeconds(3));
        series.add(new InstanceUsage(APP, "w1", 30, 120), T0.plusSeconds(8));
        series.add(new InstanceUsage(APP, "w2", 50, 200), T0.plusSeconds(5));

        List<MetricPoint> points = series.points(T0.plusSeconds(25), 1);
        assertEquals(6, points.size());
        assertEquals(T0.minusSeconds(30), points.get(0).at());
        assertEquals(T0.plusSeconds(20), points.get(5).at());
        MetricPoint step = points.get(3);
        assertEquals(T0, step.at());
        // 10 + 30 requests over 2 s of samples
        assertEquals(20.0, step.requestsPerSecond(), 1e-9);
        assertEquals(30.0, step.latencyMillis(), 1e-9);
        assertEquals(3, step.responses5xx());
        assertEquals(3.0 / 40, step.errorRate(), 1e-9);
        assertEquals(2, step.instances());
        // w1 averages 20 %, w2 50 %; memory is each instance's last sample
        assertEquals(70.0, step.cpuPercent(), 1e-9);
        assertEquals(320L, step.memoryBytes());
        MetricPoint empty = points.get(4);
        assertNull(empty.requestsPerSecond());
        assertNull(empty.instances());
    }

    @Test
    void noRequestsIsNoErrors() {
        MetricSeries series = new MetricSeries();
        series.add(stats(0, 0, 0, 5), T0);
        MetricPoint step = series.points(T0, 1).get(5);
        assertEquals(0.0, step.requestsPerSecond());
        assertEquals(0.0, step.errorRate());
    }

    @Test
    void anHourIsKeptAndOlderSamplesDoNotOverwriteNewerSteps() {
        MetricSeries series = new MetricSeries();
        series.add(stats(5, 5, 0, 1), T0);
        // an hour and a step later, T0's slot in the ring is taken by the new step
        Instant later = T0.plus(MetricSeries.KEPT).plus(MetricSeries.STEP);
        series.add(stats(7, 7, 0, 1), later);
        series.add(stats(9, 9, 0, 1), T0);
        List<MetricPoint> points = series.points(later, 60);
        assertEquals(360, points.size());
        assertEquals(7.0, points.get(359).requestsPerSecond(), 1e-9);
        assertTrue(points.subList(0, 359).stream().allMatch(p -> p.requestsPerSecond() == null));
    }

    @Test
    void recentTrafficSumsTheLastSteps() {
        MetricSeries series = new MetricSeries();
        series.add(stats(10, 10, 0, 10), T0.minusSeconds(15));
        series.add(stats(20, 18, 2, 30), T0.plusSeconds(1));
        MetricPoint recent = series.recentTraffic(T0.plusSeconds(2), 3);
        assertEquals(15.0, recent.requestsPerSecond(), 1e-9);
        assertEquals(20.0, recent.latencyMillis(), 1e-9);
        assertEquals(2.0 / 30, recent.errorRate(), 1e-9);
        assertNull(new MetricSeries().recentTraffic(T0, 3).requestsPerSecond());
    }

    @Test
    void theNewestChangeOfEachInstanceCounts() {
        AppInstances instances = new AppInstances();
        assertTrue(instances.apply(change("a", InstanceState.STARTING, 1), T0));
        assertTrue(instances.apply(change("a", InstanceState.READY, 3), T0));
        assertFalse(instances.apply(change("a", InstanceState.UNREADY, 2), T0), "older than what is known");
        assertFalse(instances.apply(change("a", InstanceState.READY, 3), T0), "delivered twice");
        assertTrue(instances.apply(change("b", InstanceState.FAILED, 1), T0));
        assertTrue(instances.apply(change("c", InstanceState.TERMINATING, 1), T0));
        assertEquals(new AppInstances.Counts(1, 2), instances.counts());
        assertTrue(instances.apply(change("b", InstanceState.TERMINATED, 2), T0));
        assertFalse(instances.apply(change("b", InstanceState.READY, 1), T0), "a gone instance is not revived");
        assertEquals(new AppInstances.Counts(1, 1), instances.counts());
        // an hour on, b's tombstone goes (c's is new)
        assertTrue(instances.apply(change("c", InstanceState.TERMINATED, 2), T0.plus(AppInstances.TOMBSTONE_KEPT).plusSeconds(1)));
        assertEquals(2, instances.remembered());
        assertEquals(List.of("a"), instances.list().stream().map(AppInstances.Instance::instance).toList());
    }

    private static InstanceStateChanged change(String id, InstanceState state, long version) {
        return new InstanceStateChanged(APP, id, 1, state, "127.0.0.1", 20000, version, null);
    }
}

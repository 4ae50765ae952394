package io.berth.autoscaler.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.autoscaler.policy.AutoscalingPolicy.Metric;
import io.berth.events.metric.BackendStats;
import io.berth.events.metric.InstanceUsage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetricWindowsTest {
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void haproxyStatisticsAreAveragedOverTheWindowAndSharedOverTheActiveServers() {
        MetricWindows windows = new MetricWindows(Duration.ofSeconds(10));
        windows.add(new BackendStats("shop", 1000, 90, 90, 0, 12, 0, 6, 3), T0);
        windows.add(new BackendStats("shop", 1000, 110, 110, 0, 18, 0, 12, 3), T0.plusSeconds(5));
        var o = windows.observe("shop", T0.plusSeconds(6), 500, 256);
        assertEquals(100.0, o.of(Metric.requestsPerSecond).orElseThrow().total(), 1e-9);
        assertEquals(100.0 / 3, o.of(Metric.requestsPerSecond).orElseThrow().perInstance(), 1e-9);
        assertEquals(3.0, o.of(Metric.sessions).orElseThrow().perInstance(), 1e-9);
        assertEquals(15.0, o.of(Metric.responseTimeMillis).orElseThrow().perInstance(), 1e-9);
        // the first sample has left the window
        assertEquals(110.0, windows.observe("shop", T0.plusSeconds(12), 500, 256)
                .of(Metric.requestsPerSecond).orElseThrow().total(), 1e-9);
        assertTrue(windows.observe("shop", T0.plusSeconds(30), 500, 256).of(Metric.requestsPerSecond).isEmpty(),
                "no recent samples: the metric is missing, not zero");
        assertTrue(windows.observe("other", T0, 500, 256).values().isEmpty());
    }

    @Test
    void cpuAndMemoryArePercentagesOfTheReleasesResources() {
        MetricWindows windows = new MetricWindows(Duration.ofSeconds(10));
        // 25% of one core on a 500-millicore release is 50% of it; 128 MiB of 256 MiB is 50%
        windows.add(new InstanceUsage("shop", "shop-1-a", 25, 128L * 1024 * 1024), T0);
        windows.add(new InstanceUsage("shop", "shop-1-b", 75, 64L * 1024 * 1024), T0.plusSeconds(1));
        var o = windows.observe("shop", T0.plusSeconds(2), 500, 256);
        assertEquals(100.0, o.of(Metric.cpuPercent).orElseThrow().perInstance(), 1e-9);
        assertEquals(2, o.of(Metric.cpuPercent).orElseThrow().instances());
        assertEquals(37.5, o.of(Metric.memoryPercent).orElseThrow().perInstance(), 1e-9);
    }
}

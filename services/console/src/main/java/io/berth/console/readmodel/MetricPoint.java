package io.berth.console.readmodel;

import java.time.Instant;

/**
 * One 10-second step of an app's chart. A field is null when nothing was measured in the step: no
 * HAProxy sample (the traffic fields) or no instance sample (instances, CPU, memory).
 *
 * @param requestsPerSecond requests the gateway passed to the app, per second over the step
 * @param latencyMillis     HAProxy's average response time, averaged over the step's samples
 * @param errorRate         share of the step's requests answered with a 5xx (0 with no request)
 * @param responses5xx      5xx answers in the step
 * @param instances         instances that reported CPU and memory in the step
 * @param cpuPercent        their CPU summed, percent of one core
 * @param memoryBytes       their resident memory summed
 */
public record MetricPoint(Instant at, Double requestsPerSecond, Double latencyMillis, Double errorRate,
        Long responses5xx, Integer instances, Double cpuPercent, Long memoryBytes) {
}

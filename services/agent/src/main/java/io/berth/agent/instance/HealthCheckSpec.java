package io.berth.agent.instance;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * How the agent decides an instance is Ready: an HTTP GET of {@code path} answering 2xx/3xx, or a
 * TCP connect, every {@code intervalMillis}; {@code successThreshold} passes in a row make it
 * Ready, {@code failureThreshold} failures in a row make it Unready (as Kubernetes probes do).
 * {@code restartThreshold} failures in a row of an instance that has been Ready restart it (a
 * Kubernetes liveness probe's failureThreshold): a hung process is killed and started again. Null:
 * never (as a Kubernetes pod without a liveness probe).
 */
public record HealthCheckSpec(
        @NotNull @Pattern(regexp = "http|tcp", message = "must be 'http' or 'tcp'") String type,
        @Pattern(regexp = "/[\\x21-\\x7e]{0,200}", message = "must be an absolute path") String path,
        @Min(100) @Max(300_000) int intervalMillis,
        @Min(50) @Max(60_000) int timeoutMillis,
        @Min(1) @Max(100) int successThreshold,
        @Min(1) @Max(100) int failureThreshold,
        @Min(0) @Max(600_000) int initialDelayMillis,
        @Min(1) @Max(1000) Integer restartThreshold) {

    public static HealthCheckSpec tcp() {
        return new HealthCheckSpec("tcp", null, 1000, 1000, 1, 3, 0, null);
    }

    public boolean http() {
        return "http".equals(type);
    }
}

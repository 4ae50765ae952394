package io.berth.deploy.release;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * What a release runs and how it rolls out: {@code image}, or Berth's base image running {@code command}
 * (argv); an {@code artifact} (a file on the agent's machine) is mounted read-only into the instance
 * and run as {@code java -jar artifact} unless a command says how to run it, as a Procfile does for a
 * slug. Kubernetes runs images only. Every field has a default a user of
 * Heroku or Kubernetes would expect, so {@code {"command": [...]}} alone is a valid release.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseSpec(
        // a process's arguments and environment are C strings: a NUL cannot be passed, only cut them short
        @Size(min = 1, max = 100) List<@NotNull @Size(max = 4096) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String> command,
        @Size(max = 1024) @Pattern(regexp = "/[^\\x00]*", message = "must be an absolute path") String artifact,
        @Size(max = 512) @Pattern(regexp = "[a-zA-Z0-9][a-zA-Z0-9._/:@-]*", message = "must be an image reference") String image,
        @Size(max = 100) List<@NotNull @Size(max = 4096) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String> args,
        @Size(max = 200) List<@Valid @NotNull EnvVar> env,
        @Min(1) @Max(65535) Integer port,
        @Valid HealthCheck health,
        @Valid Resources resources,
        @Min(0) Integer replicas,
        @Valid Strategy strategy) {

    static final String NO_NUL = "[^\\x00]*";
    static final String NUL_MESSAGE = "must not contain a NUL character";

    public record EnvVar(
            @NotNull @Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}", message = "must be an environment variable name") String name,
            @NotNull @Size(max = 32768) @Pattern(regexp = NO_NUL, message = NUL_MESSAGE) String value,
            boolean secret) {
    }

    /**
     * {@code restartThreshold}: failed checks in a row after which an instance that has been Ready is
     * restarted (hung, not dead); absent, the agent never restarts a live instance and Kubernetes
     * restarts it after {@code failureThreshold}, as its liveness probe did before this field.
     */
    public record HealthCheck(
            @NotNull @Pattern(regexp = "http|tcp", message = "must be 'http' or 'tcp'") String type,
            @Pattern(regexp = "/[\\x21-\\x7e]{0,200}", message = "must be an absolute path") String path,
            @Min(1) @Max(300) Integer intervalSeconds,
            @Min(1) @Max(60) Integer timeoutSeconds,
            @Min(1) @Max(100) Integer successThreshold,
            @Min(1) @Max(100) Integer failureThreshold,
            @Min(0) @Max(600) Integer initialDelaySeconds,
            @Min(1) @Max(1000) Integer restartThreshold) {
    }

    /**
     * Run the new release beside the whole old one first, taking {@code weight} percent of the
     * traffic (through the gateway's server weights), until the rollout is promoted or aborted.
     */
    public record Canary(@NotNull @Min(1) @Max(99) Integer weight) {
    }

    public record Resources(@Min(10) @Max(64_000) Integer cpuMillis, @Min(16) @Max(262_144) Integer memoryMiB) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Strategy(
            @Min(0) @Max(100) Integer maxSurge,
            @Min(0) @Max(100) Integer maxUnavailable,
            @Min(0) @Max(600) Integer drainSeconds,
            @Min(0) @Max(3600) Integer gracePeriodSeconds,
            @Min(5) @Max(3600) Integer progressDeadlineSeconds,
            @Valid Canary canary) {

        // named for the field the error points at
        @JsonIgnore
        @AssertTrue(message = "maxSurge and maxUnavailable cannot both be 0: the rollout could never progress")
        boolean isMaxSurge() {
            return maxSurge == null || maxUnavailable == null || maxSurge > 0 || maxUnavailable > 0;
        }
    }

    // named for the field the error points at
    @JsonIgnore
    @AssertTrue(message = "a command, an artifact or an image is required")
    boolean isCommand() {
        return command != null || artifact != null || image != null;
    }

    /** The spec with every default filled in, as stored. */
    public ReleaseSpec withDefaults(int defaultReplicas) {
        HealthCheck h = health == null ? new HealthCheck("tcp", null, 1, 1, 1, 3, 0, null)
                : new HealthCheck(health.type(), health.path() == null && "http".equals(health.type()) ? "/" : health.path(),
                        or(health.intervalSeconds(), 1), or(health.timeoutSeconds(), 1), or(health.successThreshold(), 1),
                        or(health.failureThreshold(), 3), or(health.initialDelaySeconds(), 0), health.restartThreshold());
        Strategy s = strategy == null ? new Strategy(null, null, null, null, null, null) : strategy;
        // a 2 s drain: the registrar and gateway take an instance out of the pool (well under 1 s)
        // before it gets SIGTERM, so a stopping instance is sent no new request
        Strategy filled = new Strategy(or(s.maxSurge(), 1), or(s.maxUnavailable(), 0), or(s.drainSeconds(), 2),
                or(s.gracePeriodSeconds(), 10), or(s.progressDeadlineSeconds(), 120), s.canary());
        // a Heroku standard-1X dyno's memory; a whole core, which a JVM needs to start in seconds
        Resources r = resources == null ? new Resources(1000, 512)
                : new Resources(or(resources.cpuMillis(), 1000), or(resources.memoryMiB(), 512));
        return new ReleaseSpec(command, artifact, image, args == null ? List.of() : args, env == null ? List.of() : env,
                port == null ? 8080 : port, h, r, replicas == null ? defaultReplicas : replicas, filled);
    }

    /** What the API shows: secret values masked, everything else as stored. */
    public ReleaseSpec masked() {
        if (env == null) {
            return this;
        }
        return new ReleaseSpec(command, artifact, image, args,
                env.stream().map(e -> e.secret() ? new EnvVar(e.name(), "********", true) : e).toList(),
                port, health, resources, replicas, strategy);
    }

    private static int or(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}

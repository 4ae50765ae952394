package io.berth.agent.instance;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * What to run as one instance. {@code command} is the argv (for an artifact, the deploy service
 * sends {@code java -jar <artifact>}); {@code image} the OCI image it runs in (Berth's base image when
 * absent; the container runtime only); {@code artifact} a file on this machine, under one of the
 * agent's artifact roots, that the instance sees read-only at the same path; {@code registryAuth} the
 * credentials {@code image} is pulled with. {@code labels} are the caller's own (the deploy service marks
 * which release and template an instance belongs to), echoed in every view. The agent adds PORT, HOST (the
 * address to bind), BERTH_APP, BERTH_RELEASE, BERTH_INSTANCE and BERTH_LOG_TOPIC to {@code env}. {@code resources} caps its CPU and memory.
 */
public record InstanceSpec(
        @NotNull @Pattern(regexp = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?", message = "must be a DNS label") String id,
        @NotNull @Pattern(regexp = "[a-z]([-a-z0-9]{0,38}[a-z0-9])?", message = "must be a DNS label") String app,
        String team,
        @Min(1) int release,
        @Size(max = 100) List<@NotNull @Size(max = 4096) String> command,
        @Size(max = 512) @Pattern(regexp = "[a-zA-Z0-9][a-zA-Z0-9._/:@-]*", message = "must be an image reference") String image,
        @Size(max = 1024) @Pattern(regexp = "/[^\\x00]*", message = "must be an absolute path") String artifact,
        @Size(max = 200) Map<@Pattern(regexp = "[A-Za-z_][A-Za-z0-9_]{0,127}", message = "must be an environment variable name") String, @NotNull @Size(max = 32768) String> env,
        @Valid HealthCheckSpec health,
        @Min(0) @Max(3600) int gracePeriodSeconds,
        @Valid Resources resources,
        @Size(max = 20) Map<@Size(max = 100) String, @Size(max = 200) String> labels,
        @Valid RegistryAuth registryAuth) {

    /**
     * The team's credentials for the registry {@code image} is pulled from: kept in memory only (never in
     * spec.json, a view or a log), and given to podman in an authfile that lives for the one pull.
     */
    public record RegistryAuth(@NotNull @Size(min = 1, max = 256) String username,
            @NotNull @Size(min = 1, max = 4096) String password) {
        @Override
        public String toString() {
            return "RegistryAuth[username=" + username + ", password=<hidden>]";
        }
    }

    /** Limits the agent enforces through cgroups where it can; null fields are not limited. */
    public record Resources(@Min(10) @Max(64_000) Integer cpuMillis, @Min(16) @Max(262_144) Integer memoryMiB) {
    }

    public InstanceSpec {
        env = env == null ? Map.of() : Map.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        command = List.copyOf(command == null ? List.of() : command);
        health = health == null ? HealthCheckSpec.tcp() : health;
    }

    /** An image brings its own command; otherwise there must be one. Named for the field the error points at. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    @jakarta.validation.constraints.AssertTrue(message = "a command is required unless an image is given")
    boolean isCommand() {
        return !command.isEmpty() || image != null;
    }

    public InstanceSpec withEnv(Map<String, String> newEnv) {
        return new InstanceSpec(id, app, team, release, command, image, artifact, newEnv, health, gracePeriodSeconds,
                resources, labels, registryAuth);
    }

    /** The spec without its registry credentials: what is stored, and what two starts of one id must agree on. */
    public InstanceSpec withoutRegistryAuth() {
        return registryAuth == null ? this : new InstanceSpec(id, app, team, release, command, image, artifact, env,
                health, gracePeriodSeconds, resources, labels, null);
    }
}

package io.berth.deploy.runtime.agent;

import io.berth.deploy.release.ReleaseSpec;
import io.berth.deploy.runtime.AppRuntime;
import io.berth.deploy.runtime.DesiredApp;
import io.berth.deploy.runtime.Observation;
import io.berth.deploy.runtime.RollingPlan;
import io.berth.deploy.runtime.RuntimeInstance;
import io.berth.deploy.runtime.gateway.TrafficGate;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.ws.rs.WebApplicationException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.berth.deploy.registry.RegistryCredentials;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The embedded runtime: instances are processes on the agent, and the rolling update is ours
 * ({@link RollingPlan}), one safe step per reconcile.
 */
@ApplicationScoped
@Typed(AgentRuntime.class)
public class AgentRuntime implements AppRuntime {
    static final String RELEASE_LABEL = "berth.io/release";
    static final String TEMPLATE_LABEL = "berth.io/template";
    static final String TEAM_LABEL = "berth.io/team";
    static final String WEIGHT_LABEL = "berth.io/weight";
    static final String HEALTH_PATH_LABEL = "berth.io/health-path";
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AgentClient agent;
    private final TrafficGate gate;
    private final RegistryCredentials registries;

    AgentRuntime(@RestClient AgentClient agent, TrafficGate gate, RegistryCredentials registries) {
        this.agent = agent;
        this.gate = gate;
        this.registries = registries;
    }

    @Override
    public void requireRunnable(ReleaseSpec spec) {
        // every valid release runs on the agent: a command or an artifact in Berth's base image, or an image
    }

    @Override
    public Uni<Observation> reconcile(DesiredApp desired) {
        ReleaseSpec.Strategy strategy = desired.spec().strategy();
        return Uni.combine().all().unis(instances(desired.app()), gate.serving(desired.app())).asTuple().chain(both -> {
            List<RuntimeInstance> instances = gated(both.getItem1(), both.getItem2());
            RollingPlan plan = desired.canary()
                    ? RollingPlan.canary(desired.canaryInstances(), desired.template(), instances)
                    : RollingPlan.next(desired.replicas(), strategy.maxSurge(), strategy.maxUnavailable(),
                            desired.template(), instances);
            // opened only now, and only those of the registry the image names
            Uni<Optional<RegistryCredentials.Opened>> auth = plan.toStart() == 0 || desired.spec().image() == null
                    ? Uni.createFrom().item(Optional.empty())
                    : registries.forImage(desired.team(), desired.spec().image());
            return auth.chain(registryAuth -> step(desired, plan, strategy, registryAuth));
        });
    }

    private Uni<Observation> step(DesiredApp desired, RollingPlan plan, ReleaseSpec.Strategy strategy,
            Optional<RegistryCredentials.Opened> registryAuth) {
        List<Uni<Void>> steps = new ArrayList<>();
        for (int i = 0; i < plan.toStart(); i++) {
            steps.add(agent.start(instanceSpec(desired, newId(desired), registryAuth))
                    .onFailure(WebApplicationException.class).transform(AgentRuntime::refusal)
                    .replaceWithVoid());
        }
        for (RuntimeInstance old : plan.toStop()) {
            steps.add(agent.stop(old.id(), strategy.drainSeconds(), strategy.gracePeriodSeconds())
                    .onFailure(WebApplicationException.class).recoverWithNull().replaceWithVoid());
        }
        if (steps.isEmpty()) {
            return Uni.createFrom().item(plan.observation());
        }
        return Uni.join().all(steps).andFailFast().replaceWith(plan.observation());
    }

    /**
     * A start the agent refused as invalid (400, 422) is refused for good: a {@link StartRefused} naming
     * the field at fault; anything else (the agent down, a conflict) stays a failure to retry.
     */
    static Throwable refusal(Throwable failure) {
        jakarta.ws.rs.core.Response response = ((WebApplicationException) failure).getResponse();
        int status = response == null ? 0 : response.getStatus();
        if (status != 400 && status != 422) {
            return failure;
        }
        String detail;
        try {
            com.fasterxml.jackson.databind.JsonNode problem = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(response.readEntity(String.class));
            com.fasterxml.jackson.databind.JsonNode error = problem.path("errors").path(0);
            detail = error.has("field") ? error.path("field").asText() + ": " + error.path("message").asText()
                    : problem.path("detail").asText("HTTP " + status);
        } catch (RuntimeException | java.io.IOException e) {
            detail = "HTTP " + status;
        }
        return new io.berth.deploy.runtime.StartRefused("the agent refused to start its instances (" + detail + ")");
    }

    /** Ready counts for the rolling update only once the instance also serves through the gateway. */
    static List<RuntimeInstance> gated(List<RuntimeInstance> instances, java.util.Set<String> serving) {
        if (serving == null) {
            return instances;
        }
        return instances.stream().map(i -> i.ready() && !serving.contains(i.id()) ? i.notServingYet() : i).toList();
    }

    @Override
    public Uni<List<RuntimeInstance>> instances(String app) {
        return agent.list(app).map(list -> list.stream().map(AgentRuntime::toRuntime).toList());
    }

    @Override
    public Uni<Void> remove(String app, int drainSeconds, int gracePeriodSeconds) {
        return agent.list(app).chain(list -> list.isEmpty() ? Uni.createFrom().voidItem()
                : Uni.join().all(list.stream()
                        .map(i -> agent.stop(i.id(), drainSeconds, gracePeriodSeconds)
                                .onFailure(WebApplicationException.class).recoverWithNull())
                        .toList()).andCollectFailures().replaceWithVoid());
    }

    @Override
    public Uni<String> recentLogs(String instanceId, int lines) {
        return agent.log(instanceId, lines).onFailure().recoverWithItem("");
    }

    private static RuntimeInstance toRuntime(AgentClient.AgentInstance i) {
        Map<String, String> labels = i.labels() == null ? Map.of() : i.labels();
        return new RuntimeInstance(i.id(), i.release(), labels.getOrDefault(TEMPLATE_LABEL, ""), i.state(),
                "READY".equals(i.state()), "TERMINATING".equals(i.state()) || "TERMINATED".equals(i.state()),
                i.host(), i.port(), i.restarts(), i.reason());
    }

    /** {@code <app>-<release>-<5 random>}: a DNS label, unique, and it says which release it runs. */
    static String newId(DesiredApp desired) {
        StringBuilder id = new StringBuilder(desired.app()).append('-').append(desired.release()).append('-');
        for (int i = 0; i < 5; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }

    static Map<String, Object> instanceSpec(DesiredApp desired, String id) {
        return instanceSpec(desired, id, Optional.empty());
    }

    /** The agent's instance spec; {@code registryAuth}, the team's credentials for the image's registry, in the clear. */
    static Map<String, Object> instanceSpec(DesiredApp desired, String id, Optional<RegistryCredentials.Opened> registryAuth) {
        ReleaseSpec spec = desired.spec();
        List<String> command = new ArrayList<>();
        if (spec.command() != null) {
            command.addAll(spec.command());
        } else if (spec.artifact() != null) {
            command.addAll(List.of("java", "-jar", spec.artifact()));
        }
        // with an image and no command, the args follow the image's own entrypoint
        command.addAll(spec.args());
        Map<String, String> env = new LinkedHashMap<>();
        spec.env().forEach(e -> env.put(e.name(), e.value()));
        ReleaseSpec.HealthCheck h = spec.health();
        Map<String, Object> health = new HashMap<>();
        health.put("type", h.type());
        health.put("path", h.path());
        health.put("intervalMillis", h.intervalSeconds() * 1000);
        health.put("timeoutMillis", h.timeoutSeconds() * 1000);
        health.put("successThreshold", h.successThreshold());
        health.put("failureThreshold", h.failureThreshold());
        health.put("initialDelayMillis", h.initialDelaySeconds() * 1000);
        if (h.restartThreshold() != null) {
            health.put("restartThreshold", h.restartThreshold());
        }
        Map<String, Object> instance = new HashMap<>();
        instance.put("id", id);
        instance.put("app", desired.app());
        instance.put("team", desired.team());
        instance.put("release", desired.release());
        instance.put("command", command);
        if (spec.image() != null) {
            instance.put("image", spec.image());
            registryAuth.ifPresent(a -> instance.put("registryAuth", Map.of("username", a.username(), "password", a.password())));
        }
        if (spec.artifact() != null) {
            // the agent mounts it read-only into the instance
            instance.put("artifact", spec.artifact());
        }
        instance.put("env", env);
        instance.put("health", health);
        instance.put("gracePeriodSeconds", spec.strategy().gracePeriodSeconds());
        instance.put("resources", Map.of("cpuMillis", spec.resources().cpuMillis(),
                "memoryMiB", spec.resources().memoryMiB()));
        Map<String, String> labels = new HashMap<>(Map.of(RELEASE_LABEL, Integer.toString(desired.release()),
                TEMPLATE_LABEL, desired.template(), TEAM_LABEL, desired.team()));
        if ("http".equals(h.type())) {
            // the registrar passes it on, and the gateway's own health checks use it
            labels.put(HEALTH_PATH_LABEL, h.path());
        }
        if (desired.canary()) {
            // the registrar passes it on as the registration's weight, which the gateway applies
            labels.put(WEIGHT_LABEL, Integer.toString(desired.canaryServerWeight()));
        }
        instance.put("labels", labels);
        return instance;
    }
}

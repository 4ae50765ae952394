package io.berth.deploy.runtime.kubernetes;

import io.berth.deploy.release.ReleaseSpec;
import io.berth.deploy.runtime.DesiredApp;
import io.berth.events.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Kubernetes objects one app is made of, as pure functions of its desired state: a Deployment
 * (the rolling update is the Deployment controller's, with the release's maxSurge and
 * maxUnavailable), a Service in front of it, and a Secret per release for the env vars marked
 * secret, so their values never appear in the Deployment.
 */
public final class KubernetesManifests {
    public static final String APP_LABEL = "berth.io/app";
    public static final String RELEASE_LABEL = "berth.io/release";
    public static final String TEAM_LABEL = "berth.io/team";
    public static final String TEMPLATE_LABEL = "berth.io/template";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "berth";
    /** a digest of what we rendered: the runtime writes the Deployment only when it changes */
    public static final String SPEC_HASH_ANNOTATION = "berth.io/spec-hash";
    static final String CONTAINER = "app";
    static final String PORT_NAME = "http";

    private KubernetesManifests() {
    }

    public static Deployment deployment(DesiredApp desired, String namespace) {
        ReleaseSpec spec = desired.spec();
        ReleaseSpec.Strategy strategy = spec.strategy();
        Map<String, String> podLabels = new LinkedHashMap<>(appLabels(desired));
        podLabels.put(TEMPLATE_LABEL, desired.template());
        DeploymentBuilder builder = new DeploymentBuilder()
                .withNewMetadata()
                    .withName(desired.app())
                    .withNamespace(namespace)
                    .withLabels(appLabels(desired))
                .endMetadata()
                .withNewSpec()
                    .withReplicas(desired.replicas())
                    .withNewSelector().withMatchLabels(Map.of(APP_LABEL, desired.app())).endSelector()
                    .withProgressDeadlineSeconds(strategy.progressDeadlineSeconds())
                    .withRevisionHistoryLimit(10)
                    .withNewStrategy()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate()
                            .withMaxSurge(new IntOrString(strategy.maxSurge()))
                            .withMaxUnavailable(new IntOrString(strategy.maxUnavailable()))
                        .endRollingUpdate()
                    .endStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(podLabels).endMetadata()
                        .withNewSpec()
                            // Kubernetes counts the preStop hook inside the grace period: add the drain to it
                            .withTerminationGracePeriodSeconds((long) strategy.drainSeconds() + strategy.gracePeriodSeconds())
                            .withEnableServiceLinks(false)
                            .withContainers(container(desired))
                        .endSpec()
                    .endTemplate()
                .endSpec();
        Deployment deployment = builder.build();
        deployment.getMetadata().setAnnotations(Map.of(SPEC_HASH_ANNOTATION, hash(deployment.getSpec().toString())));
        return deployment;
    }

    public static Service service(DesiredApp desired, String namespace) {
        return new ServiceBuilder()
                .withNewMetadata()
                    .withName(desired.app())
                    .withNamespace(namespace)
                    .withLabels(appLabels(desired))
                .endMetadata()
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(Map.of(APP_LABEL, desired.app()))
                    .addNewPort().withName(PORT_NAME).withProtocol("TCP").withPort(80)
                        .withTargetPort(new IntOrString(PORT_NAME)).endPort()
                .endSpec()
                .build();
    }

    /** The release's secret env values, or null when it has none. Releases are immutable, so is this. */
    public static Secret secret(DesiredApp desired, String namespace) {
        Map<String, String> values = new LinkedHashMap<>();
        desired.spec().env().stream().filter(ReleaseSpec.EnvVar::secret).forEach(e -> values.put(e.name(), e.value()));
        if (values.isEmpty()) {
            return null;
        }
        Map<String, String> labels = new LinkedHashMap<>(appLabels(desired));
        return new SecretBuilder()
                .withNewMetadata()
                    .withName(secretName(desired))
                    .withNamespace(namespace)
                    .withLabels(labels)
                .endMetadata()
                .withType("Opaque")
                .withImmutable(true)
                .withStringData(values)
                .build();
    }

    public static String secretName(DesiredApp desired) {
        return desired.app() + "-v" + desired.release() + "-env";
    }

    static Map<String, String> appLabels(DesiredApp desired) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(APP_LABEL, desired.app());
        labels.put(RELEASE_LABEL, Integer.toString(desired.release()));
        labels.put(TEAM_LABEL, desired.team());
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        return labels;
    }

    private static Container container(DesiredApp desired) {
        ReleaseSpec spec = desired.spec();
        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(spec.image())
                .withArgs(spec.args().isEmpty() ? null : spec.args())
                .addNewPort().withName(PORT_NAME).withContainerPort(spec.port()).withProtocol("TCP").endPort()
                .withEnv(env(desired))
                .withReadinessProbe(readinessProbe(spec.health()))
                .withNewResources()
                    .withRequests(resources(spec.resources()))
                    .withLimits(resources(spec.resources()))
                .endResources();
        if (spec.command() != null) {
            // with an image, a command replaces its entrypoint, as in a pod spec
            container.withCommand(spec.command());
        }
        int drain = spec.strategy().drainSeconds();
        if (drain > 0) {
            // the registry drops the instance first; the sleep lets traffic move away before SIGTERM
            container.withNewLifecycle().withNewPreStop().withNewSleep((long) drain).endPreStop().endLifecycle();
        }
        return container.build();
    }

    private static List<EnvVar> env(DesiredApp desired) {
        ReleaseSpec spec = desired.spec();
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVar("PORT", Integer.toString(spec.port()), null));
        env.add(new EnvVar("BERTH_APP", desired.app(), null));
        env.add(new EnvVar("BERTH_RELEASE", Integer.toString(desired.release()), null));
        env.add(new EnvVarBuilder().withName("BERTH_INSTANCE")
                .withNewValueFrom().withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
        env.add(new EnvVar("BERTH_LOG_TOPIC", Topics.logs(desired.app()), null));
        for (ReleaseSpec.EnvVar e : spec.env()) {
            if (e.secret()) {
                env.add(new EnvVarBuilder().withName(e.name()).withNewValueFrom()
                        .withNewSecretKeyRef().withName(secretName(desired)).withKey(e.name()).endSecretKeyRef()
                        .endValueFrom().build());
            } else {
                env.add(new EnvVar(e.name(), e.value(), null));
            }
        }
        return env;
    }

    private static Probe readinessProbe(ReleaseSpec.HealthCheck health) {
        ProbeBuilder probe = new ProbeBuilder()
                .withPeriodSeconds(health.intervalSeconds())
                .withTimeoutSeconds(health.timeoutSeconds())
                .withSuccessThreshold(health.successThreshold())
                .withFailureThreshold(health.failureThreshold())
                .withInitialDelaySeconds(health.initialDelaySeconds());
        if ("http".equals(health.type())) {
            probe.withNewHttpGet().withPath(health.path()).withPort(new IntOrString(PORT_NAME)).endHttpGet();
        } else {
            probe.withNewTcpSocket().withPort(new IntOrString(PORT_NAME)).endTcpSocket();
        }
        return probe.build();
    }

    private static Map<String, Quantity> resources(ReleaseSpec.Resources resources) {
        Map<String, Quantity> quantities = new LinkedHashMap<>();
        quantities.put("cpu", new Quantity(resources.cpuMillis() + "m"));
        quantities.put("memory", new Quantity(resources.memoryMiB() + "Mi"));
        return quantities;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

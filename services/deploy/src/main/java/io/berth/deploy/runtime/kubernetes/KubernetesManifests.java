package io.berth.deploy.runtime.kubernetes;

import io.berth.deploy.release.ReleaseSpec;
import io.berth.deploy.runtime.DesiredApp;
import io.berth.events.Topics;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kubernetes objects one app is made of, as pure functions of its desired state: a Deployment
 * (the rolling update is the Deployment controller's, with the release's maxSurge and
 * maxUnavailable), a Service in front of it, and a Secret per release for the env vars marked
 * secret, so their values never appear in the Deployment. Around the apps: a team's Namespace
 * (when each team has one) and the NetworkPolicy of every namespace apps run in.
 *
 * <p>App pods get what the embedded runtime gives its containers: a user that is not root, no
 * way to gain privileges or capabilities, the runtime's default seccomp filter, a read-only root
 * filesystem with a writable /tmp, and the release's resources as limits.
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
    /** set by Kubernetes (1.22+) on every namespace: how a NetworkPolicy selects one by name */
    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
    public static final String POD_SECURITY_LABEL = "pod-security.kubernetes.io/enforce";
    public static final String NETWORK_POLICY = "berth-apps";
    /**
     * The user apps run as when the image names none or root, as the embedded runtime's base image
     * does: Kubernetes cannot check a named user (USER app) against runAsNonRoot and would refuse
     * to start the pod, and Berth does not read image configurations, so it always sets one.
     */
    public static final long APP_UID = 10001;
    static final String CONTAINER = "app";
    static final String PORT_NAME = "http";
    static final String TMP_VOLUME = "tmp";

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
                            // apps never call the Kubernetes API: no service account token in their pods
                            .withAutomountServiceAccountToken(false)
                            .withSecurityContext(podSecurityContext(spec))
                            .withContainers(container(desired))
                            .withVolumes(tmpVolume(spec.resources()))
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

    /**
     * A team's namespace: labelled so that Berth knows it as its own (it never writes into a namespace
     * it did not make for that team) and so that Kubernetes enforces the restricted Pod Security
     * Standard, which every pod Berth renders meets.
     */
    public static Namespace teamNamespace(String name, String team) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        labels.put(TEAM_LABEL, team);
        labels.put(POD_SECURITY_LABEL, "restricted");
        return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }

    /** Whether an existing namespace is the one Berth made for the team (else Berth stays out of it). */
    public static boolean isTeamNamespace(Namespace namespace, String team) {
        Map<String, String> labels = namespace.getMetadata().getLabels();
        return labels != null && MANAGED_BY.equals(labels.get(MANAGED_BY_LABEL)) && team.equals(labels.get(TEAM_LABEL));
    }

    /**
     * Default deny for the apps' pods of a namespace, then three allowances. In: only the gateway's
     * pods (its namespace and pod labels), only on the app's port (the container port named
     * {@code http}, whatever number the release gives it). Out: DNS on port 53 to any address; the
     * gateway's pods on the port HAProxy serves apps on (an app calling another app's public name may
     * be routed straight to them inside the cluster); and every address outside {@code egressExcept}.
     *
     * <p>No rule admits the platform's namespace, but a NetworkPolicy can only allow, never deny:
     * whether an ipBlock also matches pod addresses is up to the network plugin (Calico: yes, Cilium:
     * no), so on the former the cluster's pod and service CIDRs belong in egressExcept, as do the
     * addresses of Kafka, PostgreSQL and Elasticsearch wherever they run (docs/security.md).
     */
    public static NetworkPolicy networkPolicy(String namespace, Tenancy tenancy) {
        NetworkPolicyPeer gateway = new NetworkPolicyPeerBuilder()
                .withNewNamespaceSelector().withMatchLabels(Map.of(NAMESPACE_NAME_LABEL, tenancy.gatewayNamespace()))
                .endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(new TreeMap<>(tenancy.gatewayPodLabels())).endPodSelector()
                .build();
        NetworkPolicy policy = new NetworkPolicyBuilder()
                .withNewMetadata()
                    .withName(NETWORK_POLICY)
                    .withNamespace(namespace)
                    .withLabels(Map.of(MANAGED_BY_LABEL, MANAGED_BY))
                .endMetadata()
                .withNewSpec()
                    .withPodSelector(appPods())
                    .withPolicyTypes("Ingress", "Egress")
                    .addNewIngress()
                        .withFrom(gateway)
                        .withPorts(port("TCP", new IntOrString(PORT_NAME)))
                    .endIngress()
                    .addNewEgress()
                        .withPorts(port("UDP", new IntOrString(53)), port("TCP", new IntOrString(53)))
                    .endEgress()
                    .addNewEgress()
                        .withTo(gateway)
                        .withPorts(port("TCP", new IntOrString(tenancy.gatewayPort())))
                    .endEgress()
                    .addNewEgress()
                        .addNewTo().withNewIpBlock().withCidr("0.0.0.0/0").withExcept(tenancy.egressExcept(false))
                            .endIpBlock().endTo()
                        .addNewTo().withNewIpBlock().withCidr("::/0").withExcept(tenancy.egressExcept(true))
                            .endIpBlock().endTo()
                    .endEgress()
                .endSpec()
                .build();
        policy.getMetadata().setAnnotations(Map.of(SPEC_HASH_ANNOTATION, hash(policy.getSpec().toString())));
        return policy;
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
                .withStartupProbe(startupProbe(spec.health(), spec.strategy()))
                .withReadinessProbe(readinessProbe(spec.health()))
                .withLivenessProbe(livenessProbe(spec.health()))
                .withNewResources()
                    .withRequests(resources(spec.resources()))
                    .withLimits(resources(spec.resources()))
                .endResources()
                .withSecurityContext(containerSecurityContext())
                .addNewVolumeMount().withName(TMP_VOLUME).withMountPath("/tmp").endVolumeMount();
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

    private static PodSecurityContext podSecurityContext(ReleaseSpec spec) {
        PodSecurityContextBuilder context = new PodSecurityContextBuilder()
                .withRunAsNonRoot(true)
                .withRunAsUser(APP_UID)
                .withRunAsGroup(APP_UID)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
        if (spec.port() < 1024) {
            // a user that is not root may bind a port below 1024 only with this (a sysctl of the pod's
            // own network namespace, which the restricted Pod Security Standard allows); container
            // engines set the same for their containers
            context.addNewSysctl().withName("net.ipv4.ip_unprivileged_port_start").withValue(Integer.toString(spec.port()))
                    .endSysctl();
        }
        return context.build();
    }

    private static SecurityContext containerSecurityContext() {
        return new SecurityContextBuilder()
                .withReadOnlyRootFilesystem(true)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").endCapabilities()
                .build();
    }

    /**
     * /tmp in memory, as podman's --read-only gives a container: what an app writes there counts
     * against its own memory limit and never fills the node's disk.
     */
    private static Volume tmpVolume(ReleaseSpec.Resources resources) {
        return new VolumeBuilder().withName(TMP_VOLUME)
                .withNewEmptyDir().withMedium("Memory").withSizeLimit(new Quantity(resources.memoryMiB() + "Mi")).endEmptyDir()
                .build();
    }

    private static Probe readinessProbe(ReleaseSpec.HealthCheck health) {
        return check(health)
                .withSuccessThreshold(health.successThreshold())
                .withFailureThreshold(health.failureThreshold())
                .withInitialDelaySeconds(health.initialDelaySeconds())
                .build();
    }

    /**
     * The same check restarts the container once it has failed restartThreshold times in a row, else
     * failureThreshold times (Kubernetes wants 1 success).
     */
    private static Probe livenessProbe(ReleaseSpec.HealthCheck health) {
        return check(health).withSuccessThreshold(1).withFailureThreshold(health.restartThreshold() != null
                ? health.restartThreshold() : health.failureThreshold()).build();
    }

    /**
     * The startup grace: liveness (and readiness) wait until this passes once, so a slow start is
     * never killed, and a quick one is not held back as a fixed initialDelaySeconds on liveness would
     * hold it. It may keep failing for as long as the rollout's own deadline: past that the rollout
     * fails and rolls back anyway.
     */
    private static Probe startupProbe(ReleaseSpec.HealthCheck health, ReleaseSpec.Strategy strategy) {
        int attempts = Math.max(health.failureThreshold(),
                (strategy.progressDeadlineSeconds() + health.intervalSeconds() - 1) / health.intervalSeconds());
        return check(health)
                .withSuccessThreshold(1)
                .withFailureThreshold(attempts)
                .withInitialDelaySeconds(health.initialDelaySeconds())
                .build();
    }

    private static ProbeBuilder check(ReleaseSpec.HealthCheck health) {
        ProbeBuilder probe = new ProbeBuilder()
                .withPeriodSeconds(health.intervalSeconds())
                .withTimeoutSeconds(health.timeoutSeconds());
        if ("http".equals(health.type())) {
            probe.withNewHttpGet().withPath(health.path()).withPort(new IntOrString(PORT_NAME)).endHttpGet();
        } else {
            probe.withNewTcpSocket().withPort(new IntOrString(PORT_NAME)).endTcpSocket();
        }
        return probe;
    }

    private static LabelSelector appPods() {
        LabelSelector selector = new LabelSelector();
        selector.setMatchLabels(Map.of(MANAGED_BY_LABEL, MANAGED_BY));
        return selector;
    }

    private static NetworkPolicyPort port(String protocol, IntOrString port) {
        return new NetworkPolicyPortBuilder().withProtocol(protocol).withPort(port).build();
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

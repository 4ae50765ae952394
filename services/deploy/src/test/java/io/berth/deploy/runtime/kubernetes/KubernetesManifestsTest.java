package io.berth.deploy.runtime.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.deploy.release.ReleaseSpec;
import io.berth.deploy.runtime.DesiredApp;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** KubernetesManifests and Tenancy as the pure functions they are: no API server. */
class KubernetesManifestsTest {
    private static final Map<String, String> GATEWAY = Map.of("app.kubernetes.io/name", "berth",
            "app.kubernetes.io/instance", "berth", "app.kubernetes.io/component", "gateway");
    private static final Tenancy SHARED = new Tenancy("berth-apps", false, "berth-", "berth", GATEWAY, 8000, List.of());
    private static final Tenancy PER_TEAM = new Tenancy("berth-apps", true, "berth-", "berth", GATEWAY, 8000,
            List.of("10.0.0.0/8", "fd00::/8", "192.168.1.10/32"));

    private static DesiredApp app(int port, ReleaseSpec.HealthCheck health, ReleaseSpec.Strategy strategy) {
        ReleaseSpec spec = new ReleaseSpec(null, null, "registry.example/shop:1", null, null, port, health,
                new ReleaseSpec.Resources(250, 128), 2, strategy).withDefaults(2);
        return new DesiredApp("shop", "team-a", 1, spec, 2, 0);
    }

    private static PodSpec pod(DesiredApp desired) {
        return KubernetesManifests.deployment(desired, "berth-team-a").getSpec().getTemplate().getSpec();
    }

    @Test
    void everyPodRunsWithoutRootPrivilegeOrCapabilityOnAReadOnlyRootWithATmp() {
        PodSpec pod = pod(app(8080, null, null));
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(10001L, pod.getSecurityContext().getRunAsUser(), "a numeric user Kubernetes can check");
        assertEquals(10001L, pod.getSecurityContext().getRunAsGroup());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertTrue(pod.getSecurityContext().getSysctls() == null || pod.getSecurityContext().getSysctls().isEmpty(),
                "no sysctl for a port above 1023");
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken(), "apps get no API token");

        Container container = pod.getContainers().get(0);
        assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        var added = container.getSecurityContext().getCapabilities().getAdd();
        assertTrue(added == null || added.isEmpty(), "no capability added: " + added);
        assertNull(container.getSecurityContext().getPrivileged());

        var tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst().orElseThrow();
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(tmp.getName())).findFirst().orElseThrow();
        assertEquals("Memory", volume.getEmptyDir().getMedium());
        assertEquals("128Mi", volume.getEmptyDir().getSizeLimit().toString(), "bounded by the app's own memory");
        assertEquals(1, pod.getVolumes().size(), "no other volume: no hostPath, no token");

        assertEquals("250m", container.getResources().getLimits().get("cpu").toString());
        assertEquals("128Mi", container.getResources().getLimits().get("memory").toString());
    }

    @Test
    void aPortBelow1024IsBoundWithoutCapabilities() {
        PodSpec pod = pod(app(80, null, null));
        var sysctls = pod.getSecurityContext().getSysctls();
        assertEquals(1, sysctls.size());
        assertEquals("net.ipv4.ip_unprivileged_port_start", sysctls.get(0).getName());
        assertEquals("80", sysctls.get(0).getValue());
        assertEquals(List.of("ALL"), pod.getContainers().get(0).getSecurityContext().getCapabilities().getDrop());
    }

    @Test
    void theHealthCheckIsReadinessLivenessAndAStartupGraceAsLongAsTheRolloutDeadline() {
        var health = new ReleaseSpec.HealthCheck("http", "/health", 2, 1, 2, 4, 3, null);
        var strategy = new ReleaseSpec.Strategy(1, 0, 2, 10, 61, null);
        Container container = pod(app(9090, health, strategy)).getContainers().get(0);

        Probe readiness = container.getReadinessProbe();
        assertEquals("/health", readiness.getHttpGet().getPath());
        assertEquals(2, readiness.getSuccessThreshold());
        assertEquals(4, readiness.getFailureThreshold());
        assertEquals(3, readiness.getInitialDelaySeconds());

        Probe liveness = container.getLivenessProbe();
        assertEquals("/health", liveness.getHttpGet().getPath());
        assertEquals("http", liveness.getHttpGet().getPort().getStrVal());
        assertEquals(2, liveness.getPeriodSeconds());
        assertEquals(1, liveness.getTimeoutSeconds());
        assertEquals(4, liveness.getFailureThreshold(), "the release's failureThreshold");
        assertEquals(1, liveness.getSuccessThreshold(), "Kubernetes allows only 1 on liveness");
        assertNull(liveness.getInitialDelaySeconds(), "the startup probe holds liveness back");

        Probe startup = container.getStartupProbe();
        assertEquals("/health", startup.getHttpGet().getPath());
        assertEquals(2, startup.getPeriodSeconds());
        assertEquals(3, startup.getInitialDelaySeconds());
        assertEquals(1, startup.getSuccessThreshold());
        assertEquals(31, startup.getFailureThreshold(), "61 s of deadline at one check every 2 s");

        Container tcp = pod(app(9090, null, null)).getContainers().get(0);
        assertEquals("http", tcp.getLivenessProbe().getTcpSocket().getPort().getStrVal());
        assertEquals("http", tcp.getStartupProbe().getTcpSocket().getPort().getStrVal());
        assertEquals(120, tcp.getStartupProbe().getFailureThreshold(), "the default 120 s deadline, checked every second");
    }

    @Test
    void aTeamsNamespaceIsNamedAfterItAndEnforcesTheRestrictedStandard() {
        assertEquals("berth-apps", SHARED.namespaceOf("team-a"));
        assertEquals("berth-team-a", PER_TEAM.namespaceOf("team-a"));
        String longest = "t" + "x".repeat(39);
        assertTrue(PER_TEAM.namespaceOf(longest).length() <= 63);

        Namespace namespace = KubernetesManifests.teamNamespace("berth-team-a", "team-a");
        assertEquals("berth-team-a", namespace.getMetadata().getName());
        assertEquals(Map.of("app.kubernetes.io/managed-by", "berth", "berth.io/team", "team-a",
                "pod-security.kubernetes.io/enforce", "restricted"), namespace.getMetadata().getLabels());
        assertTrue(KubernetesManifests.isTeamNamespace(namespace, "team-a"));
        assertFalse(KubernetesManifests.isTeamNamespace(namespace, "team-b"), "another team's");
        assertFalse(KubernetesManifests.isTeamNamespace(new NamespaceBuilder().withNewMetadata().withName("berth-team-a")
                .endMetadata().build(), "team-a"), "one Berth did not make");
    }

    @Test
    void theNetworkPolicyAdmitsOnlyTheGatewayOnTheAppPortAndLetsOutDnsTheGatewayAndTheWorld() {
        NetworkPolicy policy = KubernetesManifests.networkPolicy("berth-team-a", PER_TEAM);
        assertEquals("berth-team-a", policy.getMetadata().getNamespace());
        assertEquals(Map.of("app.kubernetes.io/managed-by", "berth"), policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());

        List<NetworkPolicyIngressRule> ingress = policy.getSpec().getIngress();
        assertEquals(1, ingress.size());
        assertGateway(ingress.get(0).getFrom());
        assertEquals(1, ingress.get(0).getPorts().size());
        assertEquals("http", ingress.get(0).getPorts().get(0).getPort().getStrVal(), "the app's named port, whatever its number");
        assertEquals("TCP", ingress.get(0).getPorts().get(0).getProtocol());

        List<NetworkPolicyEgressRule> egress = policy.getSpec().getEgress();
        assertEquals(3, egress.size());
        assertTrue(egress.get(0).getTo() == null || egress.get(0).getTo().isEmpty(), "DNS to any resolver");
        assertEquals(List.of("UDP:53", "TCP:53"), egress.get(0).getPorts().stream()
                .map(p -> p.getProtocol() + ":" + p.getPort().getIntVal()).toList());
        assertGateway(egress.get(1).getTo());
        assertEquals(8000, egress.get(1).getPorts().get(0).getPort().getIntVal());
        var world = egress.get(2);
        assertTrue(world.getPorts() == null || world.getPorts().isEmpty());
        assertEquals("0.0.0.0/0", world.getTo().get(0).getIpBlock().getCidr());
        assertEquals(List.of("10.0.0.0/8", "192.168.1.10/32"), world.getTo().get(0).getIpBlock().getExcept());
        assertEquals("::/0", world.getTo().get(1).getIpBlock().getCidr());
        assertEquals(List.of("fd00::/8"), world.getTo().get(1).getIpBlock().getExcept());
        for (NetworkPolicyEgressRule rule : egress) {
            for (NetworkPolicyPeer to : rule.getTo() == null ? List.<NetworkPolicyPeer>of() : rule.getTo()) {
                assertTrue(to.getNamespaceSelector() == null || to.getPodSelector() != null,
                        "no rule lets a whole namespace in");
            }
        }

        // what the runtime compares to decide whether to replace the policy
        String hash = policy.getMetadata().getAnnotations().get(KubernetesManifests.SPEC_HASH_ANNOTATION);
        assertEquals(hash, KubernetesManifests.networkPolicy("berth-team-a", PER_TEAM).getMetadata().getAnnotations()
                .get(KubernetesManifests.SPEC_HASH_ANNOTATION));
        assertNotEquals(hash, KubernetesManifests.networkPolicy("berth-team-a", SHARED).getMetadata().getAnnotations()
                .get(KubernetesManifests.SPEC_HASH_ANNOTATION));
    }

    private static void assertGateway(List<NetworkPolicyPeer> peers) {
        assertEquals(1, peers.size());
        NetworkPolicyPeer gateway = peers.get(0);
        assertEquals(Map.of("kubernetes.io/metadata.name", "berth"), gateway.getNamespaceSelector().getMatchLabels(),
                "the gateway's namespace, and only with the pod labels below");
        assertEquals(GATEWAY, gateway.getPodSelector().getMatchLabels());
        assertNull(gateway.getIpBlock());
    }

    @Test
    void badSettingsAreRefusedWithTheKeyThatIsWrong() {
        assertEquals(Map.of("a", "b", "example.com/c", "d"), Tenancy.parseLabels("a=b, example.com/c=d"));
        assertEquals(List.of("10.0.0.0/8"), Tenancy.cidrs(List.of(" 10.0.0.0/8", "")));
        var noPrefix = assertThrows(IllegalArgumentException.class,
                () -> new Tenancy("berth-apps", true, "", "berth", GATEWAY, 8000, List.of()));
        assertTrue(noPrefix.getMessage().contains("berth.kubernetes.team-namespace-prefix"), noPrefix.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Tenancy("berth-apps", true, "Berth_", "berth", GATEWAY, 8000, List.of()));
        var cidr = assertThrows(IllegalArgumentException.class,
                () -> new Tenancy("berth-apps", false, "berth-", "berth", GATEWAY, 8000, List.of("10.0.0.300/8")));
        assertTrue(cidr.getMessage().contains("berth.kubernetes.egress-except"), cidr.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Tenancy("berth-apps", false, "berth-", "berth", GATEWAY, 8000,
                List.of("kafka.data")));
        var labels = assertThrows(IllegalArgumentException.class, () -> Tenancy.parseLabels("component"));
        assertTrue(labels.getMessage().contains("berth.kubernetes.gateway.pod-labels"), labels.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Tenancy("berth-apps", false, "berth-", "berth", Map.of(), 8000,
                List.of()));
    }
}

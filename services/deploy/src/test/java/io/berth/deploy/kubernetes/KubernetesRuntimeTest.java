package io.berth.deploy.kubernetes;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.berth.deploy.DeployApi.awaitJson;
import static io.berth.deploy.DeployApi.awaitRollout;
import static io.berth.deploy.DeployApi.newApp;
import static io.berth.deploy.DeployApi.release;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.KafkaEvents;
import io.berth.events.Topics;
import io.berth.events.instance.InstanceState;
import io.berth.events.instance.InstanceStateChanged;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deploy service on the Kubernetes runtime, against fabric8's mock API server: what it writes
 * (Deployment, Service, Secret, the namespace's NetworkPolicy) and a rollout driven by pod states
 * the test plays out. Every app shares one namespace here (the default); a namespace per team is
 * KubernetesTeamNamespacesTest's.
 */
@QuarkusTest
@TestProfile(KubernetesRuntimeProfile.class)
class KubernetesRuntimeTest {
    private SimulatedCluster cluster;

    @BeforeEach
    void connect() {
        cluster = new SimulatedCluster();
    }

    @AfterEach
    void disconnect() {
        cluster.close();
    }

    static Map<String, Object> shop(String image, int replicas, int deadlineSeconds) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("image", image);
        spec.put("args", List.of("--serve"));
        spec.put("port", 9090);
        spec.put("env", List.of(Map.of("name", "LOG_LEVEL", "value", "info"),
                Map.of("name", "DB_PASSWORD", "value", "hunter2-k8s", "secret", true)));
        spec.put("health", Map.of("type", "http", "path", "/health", "intervalSeconds", 2, "timeoutSeconds", 1,
                "failureThreshold", 4, "initialDelaySeconds", 3));
        spec.put("resources", Map.of("cpuMillis", 250, "memoryMiB", 128));
        spec.put("replicas", replicas);
        spec.put("strategy", Map.of("maxSurge", 2, "maxUnavailable", 1, "drainSeconds", 5, "gracePeriodSeconds", 20,
                "progressDeadlineSeconds", deadlineSeconds));
        return spec;
    }

    @Test
    void theDeploymentServiceAndSecretCarryTheRelease() throws Exception {
        String app = newApp("k8s");
        assertEquals(1, release(app, shop("registry.example/shop:1.0", 3, 60)));

        Deployment deployment = cluster.awaitDeployment(app, d -> true);
        assertEquals(3, deployment.getSpec().getReplicas());
        assertEquals(Map.of("berth.io/app", app), deployment.getSpec().getSelector().getMatchLabels());
        assertEquals("RollingUpdate", deployment.getSpec().getStrategy().getType());
        assertEquals(2, deployment.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal());
        assertEquals(1, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        assertEquals(60, deployment.getSpec().getProgressDeadlineSeconds());
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertEquals(app, podLabels.get("berth.io/app"));
        assertEquals("1", podLabels.get("berth.io/release"));
        assertEquals("team-a", podLabels.get("berth.io/team"));
        assertEquals("team-a", deployment.getMetadata().getLabels().get("berth.io/team"));

        var pod = deployment.getSpec().getTemplate().getSpec();
        // the drain runs inside the grace period on Kubernetes, so the period covers both
        assertEquals(25L, pod.getTerminationGracePeriodSeconds());
        Container container = pod.getContainers().get(0);
        assertEquals("registry.example/shop:1.0", container.getImage());
        assertEquals(List.of("--serve"), container.getArgs());
        assertEquals(9090, container.getPorts().get(0).getContainerPort());
        assertEquals(5L, container.getLifecycle().getPreStop().getSleep().getSeconds());

        Probe readiness = container.getReadinessProbe();
        assertEquals("/health", readiness.getHttpGet().getPath());
        assertEquals("http", readiness.getHttpGet().getPort().getStrVal());
        assertEquals(2, readiness.getPeriodSeconds());
        assertEquals(1, readiness.getTimeoutSeconds());
        assertEquals(4, readiness.getFailureThreshold());
        assertEquals(3, readiness.getInitialDelaySeconds());
        // the same check restarts a container that stops answering, once it has started
        Probe liveness = container.getLivenessProbe();
        assertEquals("/health", liveness.getHttpGet().getPath());
        assertEquals(4, liveness.getFailureThreshold());
        assertEquals(1, liveness.getSuccessThreshold());
        Probe startup = container.getStartupProbe();
        assertEquals("/health", startup.getHttpGet().getPath());
        assertEquals(3, startup.getInitialDelaySeconds());
        assertEquals(30, startup.getFailureThreshold(), "as long as the 60 s deadline, one check every 2 s");

        // the embedded runtime's hardening: not root, no privilege, read-only root, a /tmp of its own
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot());
        assertEquals(10001L, pod.getSecurityContext().getRunAsUser());
        assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType());
        assertEquals(Boolean.FALSE, pod.getAutomountServiceAccountToken());
        assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        String tmp = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst()
                .orElseThrow().getName();
        assertNotNull(pod.getVolumes().stream().filter(v -> v.getName().equals(tmp)).findFirst().orElseThrow().getEmptyDir());

        assertEquals("250m", container.getResources().getRequests().get("cpu").toString());
        assertEquals("128Mi", container.getResources().getRequests().get("memory").toString());
        assertEquals("128Mi", container.getResources().getLimits().get("memory").toString());

        Map<String, EnvVar> env = container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
        assertEquals("9090", env.get("PORT").getValue());
        assertEquals(app, env.get("BERTH_APP").getValue());
        assertEquals("1", env.get("BERTH_RELEASE").getValue());
        assertEquals("berth.logs." + app, env.get("BERTH_LOG_TOPIC").getValue());
        assertEquals("metadata.name", env.get("BERTH_INSTANCE").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("info", env.get("LOG_LEVEL").getValue());
        assertEquals(app + "-v1-env", env.get("DB_PASSWORD").getValueFrom().getSecretKeyRef().getName());
        assertFalse(Serialization.asJson(deployment).contains("hunter2-k8s"), "a secret value leaked into the Deployment");

        Secret secret = cluster.client.secrets().inNamespace(KubernetesMockServerResource.NAMESPACE)
                .withName(app + "-v1-env").get();
        assertNotNull(secret, "the release's secret env vars live in a Secret");
        String stored = secret.getStringData() != null ? secret.getStringData().get("DB_PASSWORD")
                : new String(java.util.Base64.getDecoder().decode(secret.getData().get("DB_PASSWORD")));
        assertEquals("hunter2-k8s", stored);

        Service service = cluster.client.services().inNamespace(KubernetesMockServerResource.NAMESPACE).withName(app).get();
        assertEquals(Map.of("berth.io/app", app), service.getSpec().getSelector());
        assertEquals(80, service.getSpec().getPorts().get(0).getPort());
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(app, service.getMetadata().getLabels().get("berth.io/app"));

        // the shared namespace is isolated too: only the gateway's pods get in, on the app's port
        NetworkPolicy policy = cluster.client.network().v1().networkPolicies().inNamespace(KubernetesMockServerResource.NAMESPACE)
                .withName("berth-apps").get();
        assertNotNull(policy, "the apps' namespace has Berth's NetworkPolicy");
        assertEquals(Map.of("app.kubernetes.io/managed-by", "berth"), policy.getSpec().getPodSelector().getMatchLabels());
        var from = policy.getSpec().getIngress().get(0).getFrom().get(0);
        assertEquals(Map.of("kubernetes.io/metadata.name", KubernetesMockServerResource.GATEWAY_NAMESPACE),
                from.getNamespaceSelector().getMatchLabels());
        assertEquals(Map.of("app.kubernetes.io/instance", "berth-test", "app.kubernetes.io/component", "gateway"),
                from.getPodSelector().getMatchLabels());
        assertEquals("http", policy.getSpec().getIngress().get(0).getPorts().get(0).getPort().getStrVal());
        assertEquals(List.of("10.42.0.0/16", "10.96.0.0/12"), policy.getSpec().getEgress().get(2).getTo().get(0).getIpBlock()
                .getExcept(), "the cluster's own addresses are not the outside world");
        assertEquals(null, cluster.client.namespaces().withName("berth-team-a").get(), "no namespace per team unless asked");

        // the API never shows a secret value either
        asAdmin().get("/api/apps/" + app + "/releases/1").then().statusCode(200)
                .body(containsString("DB_PASSWORD")).body(org.hamcrest.Matchers.not(containsString("hunter2-k8s")));
    }

    @Test
    void aRolloutFollowsThePodsThenScaleAndRollbackRewriteTheDeployment() throws Exception {
        String app = newApp("k8s");
        release(app, shop("registry.example/shop:1.0", 3, 60));
        Deployment v1 = cluster.awaitDeployment(app, d -> true);
        List<Pod> v1Pods = cluster.startPods(v1, 3);
        awaitJson("/api/apps/" + app + "/rollouts/current", j -> "PROGRESSING".equals(j.getString("state"))
                && j.getInt("ready") == 0, Duration.ofSeconds(10));
        cluster.setReady(v1Pods.get(0), true);
        awaitJson("/api/apps/" + app + "/rollouts/current", j -> j.getInt("ready") == 1, Duration.ofSeconds(10));
        v1Pods.forEach(p -> cluster.setReady(p, true));
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(10));
        asAdmin().get("/api/apps/" + app + "/instances").then().statusCode(200)
                .body("size()", equalTo(3))
                .body("findAll { it.state == 'READY' && it.ready }.size()", equalTo(3))
                .body("port", org.hamcrest.Matchers.everyItem(equalTo(9090)))
                .body("host", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.startsWith("10.42.0.")));
        String firstPod = v1Pods.get(0).getMetadata().getName();
        assertTrue(KafkaEvents.await(Topics.INSTANCES, e -> e.data() instanceof InstanceStateChanged c
                && c.instance().equals(firstPod) && c.state() == InstanceState.READY && c.release() == 1,
                Duration.ofSeconds(20)).isPresent(), "the pod watch publishes the pod's Ready on berth.instances");

        // v2: the Deployment's template changes; the rollout completes only once no v1 pod serves
        release(app, shop("registry.example/shop:2.0", 3, 60));
        Deployment v2 = cluster.awaitDeployment(app, d -> "2".equals(
                d.getSpec().getTemplate().getMetadata().getLabels().get("berth.io/release")));
        assertEquals("registry.example/shop:2.0", v2.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        List<Pod> v2Pods = cluster.startPods(v2, 3);
        v2Pods.forEach(p -> cluster.setReady(p, true));
        awaitJson("/api/apps/" + app + "/rollouts/current", j -> j.getInt("toRelease") == 2 && j.getInt("ready") == 3,
                Duration.ofSeconds(10));
        Thread.sleep(1500);
        asAdmin().get("/api/apps/" + app + "/rollouts/current").then()
                .body("state", equalTo("PROGRESSING")); // three v1 pods still serve
        cluster.delete(v1Pods);
        awaitRollout(app, 2, "COMPLETED", Duration.ofSeconds(10));
        asAdmin().get("/api/apps/" + app).then().body("currentRelease", equalTo(2));

        asAdmin().contentType(ContentType.JSON).body(Map.of("replicas", 5)).post("/api/apps/" + app + "/scale")
                .then().statusCode(200);
        cluster.awaitDeployment(app, d -> d.getSpec().getReplicas() == 5);

        asAdmin().contentType(ContentType.JSON).body(Map.of("release", 1)).post("/api/apps/" + app + "/rollback")
                .then().statusCode(202);
        Deployment back = cluster.awaitDeployment(app, d -> "1".equals(
                d.getSpec().getTemplate().getMetadata().getLabels().get("berth.io/release")));
        assertEquals("registry.example/shop:1.0", back.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        assertEquals(5, back.getSpec().getReplicas());
        List<Pod> again = cluster.startPods(back, 5);
        again.forEach(p -> cluster.setReady(p, true));
        cluster.delete(v2Pods);
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(10));
    }

    @Test
    void podsThatNeverBecomeReadyFailTheRolloutAndTheDeploymentGoesBack() throws Exception {
        String app = newApp("k8s");
        release(app, shop("registry.example/shop:1.0", 2, 60));
        List<Pod> v1Pods = cluster.startPods(cluster.awaitDeployment(app, d -> true), 2);
        v1Pods.forEach(p -> cluster.setReady(p, true));
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(10));

        // a deadline long enough for the test to see the Deployment and start its pod on a busy machine
        release(app, shop("registry.example/shop:broken", 2, 15));
        Deployment v2 = cluster.awaitDeployment(app, d -> "2".equals(
                d.getSpec().getTemplate().getMetadata().getLabels().get("berth.io/release")));
        Pod stuck = cluster.startPods(v2, 1).get(0);
        var failed = awaitJson("/api/apps/" + app + "/rollouts", j -> j.getList("findAll { it.toRelease == 2 && it.state == 'ROLLED_BACK' }").size() == 1,
                Duration.ofSeconds(45));
        String reason = failed.getString("find { it.toRelease == 2 }.reason");
        assertTrue(reason.contains("no new instance became Ready within 15 s"), reason);
        assertTrue(reason.contains(stuck.getMetadata().getName()), reason);
        Deployment back = cluster.awaitDeployment(app, d -> "1".equals(
                d.getSpec().getTemplate().getMetadata().getLabels().get("berth.io/release")));
        assertEquals("registry.example/shop:1.0", back.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
        cluster.delete(List.of(stuck));
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(10));
    }

    @Test
    void aReleaseWithoutAnImageIsRefusedAndDeletingAnAppRemovesItsObjects() throws Exception {
        String app = newApp("k8s");
        asAdmin().contentType(ContentType.JSON).body(Map.of("command", List.of("java", "-jar", "/srv/app.jar")))
                .post("/api/apps/" + app + "/releases")
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("image"));
        Map<String, Object> canary = shop("registry.example/shop:1.0", 1, 60);
        canary.put("strategy", Map.of("canary", Map.of("weight", 10)));
        asAdmin().contentType(ContentType.JSON).body(canary).post("/api/apps/" + app + "/releases")
                .then().statusCode(400).body("errors.field", org.hamcrest.Matchers.hasItem("strategy.canary"));
        asAdmin().get("/api/apps/" + app + "/releases").then().statusCode(200).body("size()", equalTo(0));

        release(app, shop("registry.example/shop:1.0", 1, 60));
        cluster.startPods(cluster.awaitDeployment(app, d -> true), 1).forEach(p -> cluster.setReady(p, true));
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(10));
        asAdmin().delete("/api/apps/" + app).then().statusCode(202);
        awaitJson("/api/apps", j -> !j.getList("name").contains(app), Duration.ofSeconds(20));
        var ns = KubernetesMockServerResource.NAMESPACE;
        assertEquals(null, cluster.client.apps().deployments().inNamespace(ns).withName(app).get());
        assertEquals(null, cluster.client.services().inNamespace(ns).withName(app).get());
        assertTrue(cluster.client.secrets().inNamespace(ns).withLabel("berth.io/app", app).list().getItems().isEmpty());
        assertTrue(cluster.pods(app).isEmpty());
    }
}

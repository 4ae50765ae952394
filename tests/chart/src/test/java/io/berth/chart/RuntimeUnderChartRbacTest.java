package io.berth.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.deploy.release.ReleaseSpec;
import io.berth.deploy.release.ReleaseSpec.EnvVar;
import io.berth.deploy.runtime.DesiredApp;
import io.berth.deploy.runtime.Observation;
import io.berth.deploy.runtime.kubernetes.DeployKubernetesCode;
import io.berth.deploy.runtime.kubernetes.KubernetesRuntime;
import io.berth.deploy.runtime.kubernetes.PodWatcher;
import io.berth.registrar.runtime.InstanceSource;
import io.berth.registrar.runtime.KubernetesPodSource;
import io.berth.registrar.runtime.RuntimeInstance;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vertx.mutiny.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Berth's own Kubernetes code (deploy's KubernetesRuntime and PodWatcher, the registrar's
 * KubernetesPodSource) run against the mock API server with exactly the RBAC the chart renders:
 * each client authenticates as its service account's token, and the server refuses with 403 any
 * request that the service's Role (bound by its RoleBinding, in the apps' namespace) does not allow.
 * The test itself plays the Deployment controller and the kubelet with an unrestricted client.
 */
class RuntimeUnderChartRbacTest {
    private static final String APPS = "berth-apps";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Chart.Rendering chart;
    private static Vertx vertx;
    private ApiServer api;
    private final List<KubernetesClient> clients = new ArrayList<>();

    @BeforeAll
    static void renderTheChart() {
        chart = Chart.render(Map.of());
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        vertx.closeAndAwait();
    }

    @AfterEach
    void close() {
        clients.forEach(KubernetesClient::close);
        if (api != null) {
            api.close();
        }
    }

    @Test
    void aWholeDeployLifecycleNeedsExactlyTheDeployRole() throws Exception {
        List<PolicyRule> granted = grantedTo("berth-deploy");
        api = new ApiServer();
        api.grant(Map.of("berth-deploy", Map.of(APPS, granted)));
        KubernetesClient asDeploy = client("berth-deploy");
        KubernetesClient cluster = client(null);

        List<Object> published = new CopyOnWriteArrayList<>();
        PodWatcher watcher = DeployKubernetesCode.startPodWatcher(asDeploy, APPS, published);
        KubernetesRuntime runtime = DeployKubernetesCode.runtime(asDeploy, APPS, vertx);
        try {
            // a first release with a secret env value: Secret, Service and Deployment created
            DesiredApp v1 = desired(1, "registry.example/hello:1");
            Observation first = runtime.reconcile(v1).await().atMost(WAIT);
            assertEquals(0, first.updated());
            startReadyPods(cluster, "hello", 2);
            awaitTrue(() -> published.size() >= 2, "the pod watcher published the pods' states");
            awaitTrue(() -> api.accesses().stream().anyMatch(a -> a.rule().equals("pods:watch")), "the pod watcher watches");
            assertTrue(runtime.reconcile(v1).await().atMost(WAIT).complete(), "both pods of v1 are ready");

            // a new release replaces the Deployment
            runtime.reconcile(desired(2, "registry.example/hello:2")).await().atMost(WAIT);
            assertEquals("registry.example/hello:2", cluster.apps().deployments().inNamespace(APPS).withName("hello").get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());

            assertEquals(2, runtime.instances("hello").await().atMost(WAIT).size());
            String pod = cluster.pods().inNamespace(APPS).withLabel("berth.io/app", "hello").list().getItems().get(0)
                    .getMetadata().getName();
            runtime.recentLogs(pod, 20).await().atMost(WAIT);

            runtime.remove("hello", 2, 10).await().atMost(WAIT);
            assertTrue(cluster.apps().deployments().inNamespace(APPS).withName("hello").get() == null);
            assertTrue(cluster.secrets().inNamespace(APPS).withLabel("berth.io/app", "hello").list().getItems().isEmpty());
        } finally {
            DeployKubernetesCode.stop(watcher);
        }

        assertEverythingAllowedAndEveryGrantUsed("berth-deploy", granted);
    }

    @Test
    void theRegistrarsPodInformerNeedsExactlyTheRegistrarRole() throws Exception {
        List<PolicyRule> granted = grantedTo("berth-registrar");
        api = new ApiServer();
        api.grant(Map.of("berth-registrar", Map.of(APPS, granted)));
        KubernetesClient cluster = client(null);
        startReadyPods(cluster, "hello", 1);

        List<List<RuntimeInstance>> snapshots = new CopyOnWriteArrayList<>();
        List<RuntimeInstance> changes = new CopyOnWriteArrayList<>();
        List<RuntimeInstance> removals = new CopyOnWriteArrayList<>();
        KubernetesPodSource source = new KubernetesPodSource(client("berth-registrar"), APPS);
        source.start(new InstanceSource.Listener() {
            @Override
            public void snapshot(List<RuntimeInstance> instances) {
                snapshots.add(instances);
            }

            @Override
            public void changed(RuntimeInstance instance) {
                changes.add(instance);
            }

            @Override
            public void removed(RuntimeInstance last) {
                removals.add(last);
            }
        });
        try {
            awaitTrue(() -> !snapshots.isEmpty() && snapshots.get(0).size() == 1, "the informer's first snapshot holds the pod");
            List<Pod> more = startReadyPods(cluster, "hello", 1);
            awaitTrue(() -> changes.stream().anyMatch(i -> i.id().equals(more.get(0).getMetadata().getName())),
                    "a new pod reaches the registrar through the watch");
            cluster.pods().inNamespace(APPS).withName(more.get(0).getMetadata().getName()).delete();
            awaitTrue(() -> !removals.isEmpty(), "a deleted pod reaches the registrar through the watch");
        } finally {
            source.stop();
        }

        assertEverythingAllowedAndEveryGrantUsed("berth-registrar", granted);
    }

    @Test
    void theMockServerRefusesWhatTheRoleDoesNotGrant() {
        // the deploy Role without deletecollection on secrets: removing an app must fail with 403
        List<PolicyRule> narrowed = grantedTo("berth-deploy").stream()
                .map(rule -> rule.getResources().contains("secrets")
                        ? new PolicyRuleBuilder(rule).withVerbs(rule.getVerbs().stream().filter(v -> !v.equals("deletecollection")).toList()).build()
                        : rule)
                .toList();
        api = new ApiServer();
        api.grant(Map.of("berth-deploy", Map.of(APPS, narrowed)));
        KubernetesRuntime runtime = DeployKubernetesCode.runtime(client("berth-deploy"), APPS, vertx);
        runtime.reconcile(desired(1, "registry.example/hello:1")).await().atMost(WAIT);

        KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                () -> runtime.remove("hello", 2, 10).await().atMost(WAIT));
        assertEquals(403, refused.getCode());
        assertTrue(api.accesses().stream().anyMatch(a -> !a.allowed() && a.rule().equals("secrets:deletecollection")));
    }

    /** The rules of the Role that the service account's RoleBinding binds, in the apps' namespace. */
    private static List<PolicyRule> grantedTo(String serviceAccount) {
        List<RoleBinding> bindings = chart.all(RoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> s.getKind().equals("ServiceAccount")
                        && s.getName().equals(serviceAccount) && s.getNamespace().equals(Chart.NAMESPACE)))
                .toList();
        assertEquals(1, bindings.size(), "one RoleBinding for " + serviceAccount);
        RoleBinding binding = bindings.get(0);
        assertEquals(APPS, binding.getMetadata().getNamespace());
        assertEquals("Role", binding.getRoleRef().getKind());
        Role role = chart.all(Role.class).stream()
                .filter(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName())
                        && r.getMetadata().getNamespace().equals(APPS))
                .findFirst().orElseThrow();
        return role.getRules();
    }

    private void assertEverythingAllowedAndEveryGrantUsed(String serviceAccount, List<PolicyRule> granted) {
        List<ApiServer.Access> mine = api.accesses();
        List<ApiServer.Access> refused = mine.stream().filter(a -> !a.allowed()).toList();
        assertTrue(refused.isEmpty(), () -> serviceAccount + " was refused: " + refused);
        Set<String> used = mine.stream().map(ApiServer.Access::rule).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(RenderedObjectsTest.grants(granted), used, serviceAccount + ": every grant used, and nothing used that is not granted");
        System.out.printf("%s made %d requests, all allowed by its Role: %s%n", serviceAccount, mine.size(), used);
    }

    /**
     * A client authenticated with a bearer token the mock server maps to the named service account
     * ({@code null}: the test's own, unrestricted).
     */
    private KubernetesClient client(String serviceAccount) {
        ConfigBuilder config = new ConfigBuilder(Config.empty()).withMasterUrl(api.url()).withNamespace(APPS)
                .withRequestRetryBackoffLimit(0);
        if (serviceAccount != null) {
            config.withOauthToken(serviceAccount);
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config.build()).build();
        clients.add(client);
        return client;
    }

    private static DesiredApp desired(int release, String image) {
        ReleaseSpec spec = new ReleaseSpec(null, null, image, null,
                List.of(new EnvVar("GREETING", "hello", false), new EnvVar("API_KEY", "not-in-the-deployment", true)),
                8080, null, null, null, null).withDefaults(2);
        return new DesiredApp("hello", "team-a", release, spec, 2, 0);
    }

    /** As the ReplicaSet controller and the kubelet would: pods of the Deployment's template, running and Ready. */
    private static List<Pod> startReadyPods(KubernetesClient cluster, String app, int count) {
        Deployment deployment = cluster.apps().deployments().inNamespace(APPS).withName(app).get();
        Map<String, String> labels = deployment == null
                ? Map.of("berth.io/app", app, "berth.io/release", "1", "berth.io/template", "r1s0",
                        "app.kubernetes.io/managed-by", "berth")
                : deployment.getSpec().getTemplate().getMetadata().getLabels();
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = app + "-" + labels.get("berth.io/template") + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
            Pod pod = new PodBuilder()
                    .withNewMetadata().withName(name).withNamespace(APPS).withLabels(labels).endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("registry.example/hello:1")
                    .addNewPort().withContainerPort(8080).endPort().endContainer().endSpec()
                    .withNewStatus().withPhase("Running").withPodIP("10.42.0." + (pods.size() + 10))
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
                    .addNewContainerStatus().withName("app").withReady(true).withRestartCount(0).endContainerStatus()
                    .endStatus().build();
            pods.add(cluster.pods().inNamespace(APPS).resource(pod).create());
        }
        return pods;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }
}

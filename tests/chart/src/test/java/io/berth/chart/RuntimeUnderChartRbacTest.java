package io.berth.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.deploy.release.ReleaseSpec;
import io.berth.deploy.release.ReleaseSpec.EnvVar;
import io.berth.deploy.runtime.DesiredApp;
import io.berth.deploy.runtime.Observation;
import io.berth.deploy.runtime.kubernetes.DeployKubernetesCode;
import io.berth.deploy.runtime.kubernetes.KubernetesManifests;
import io.berth.deploy.runtime.kubernetes.KubernetesRuntime;
import io.berth.deploy.runtime.kubernetes.PodWatcher;
import io.berth.deploy.runtime.kubernetes.Tenancy;
import io.berth.registrar.runtime.InstanceSource;
import io.berth.registrar.runtime.KubernetesPodSource;
import io.berth.registrar.runtime.RuntimeInstance;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
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
import java.util.TreeMap;
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
 * KubernetesPodSource) run against the mock API server with exactly the RBAC the chart renders and
 * the settings it gives deploy: each client authenticates as its service account's token, and the
 * server refuses with 403 any request that the service's Role (bound by its RoleBinding, in the
 * apps' namespace) or, with a namespace per team, its ClusterRole (bound cluster-wide) does not
 * allow. The test itself plays the Deployment controller and the kubelet with an unrestricted client.
 */
class RuntimeUnderChartRbacTest {
    private static final String APPS = "berth-apps";
    private static final String TEAM_A = "berth-team-a";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Chart.Rendering chart;
    private static Chart.Rendering perTeam;
    private static Vertx vertx;
    private ApiServer api;
    private final List<KubernetesClient> clients = new ArrayList<>();

    @BeforeAll
    static void renderTheChart() {
        chart = Chart.render(Map.of());
        perTeam = Chart.render(Map.of("apps.namespacePerTeam", "true"));
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
        Map<String, List<PolicyRule>> granted = grantedTo(chart, "berth-deploy");
        assertEquals(Set.of(APPS), granted.keySet(), "a Role in the apps' namespace, nothing cluster-wide");
        api = new ApiServer();
        api.grant(Map.of("berth-deploy", granted));
        Tenancy tenancy = tenancy(chart);
        assertEquals(APPS, tenancy.namespaceOf("team-a"));
        lifecycle(tenancy, APPS);
        assertEverythingAllowedAndEveryGrantUsed("berth-deploy", granted);
    }

    @Test
    void aWholeDeployLifecycleWithANamespacePerTeamNeedsExactlyTheDeployClusterRole() throws Exception {
        Map<String, List<PolicyRule>> granted = grantedTo(perTeam, "berth-deploy");
        assertEquals(Set.of(ApiServer.CLUSTER), granted.keySet(), "a ClusterRole bound cluster-wide");
        api = new ApiServer();
        api.grant(Map.of("berth-deploy", granted));
        Tenancy tenancy = tenancy(perTeam);
        assertEquals(TEAM_A, tenancy.namespaceOf("team-a"));
        lifecycle(tenancy, TEAM_A);

        Namespace namespace = client(null).namespaces().withName(TEAM_A).get();
        assertEquals("team-a", namespace.getMetadata().getLabels().get("berth.io/team"), "deploy made the team's namespace");
        assertEquals("restricted", namespace.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
        assertTrue(api.accesses().stream().anyMatch(a -> a.rule().equals("pods:watch") && a.namespace() == null),
                "the pod watcher watches every namespace");
        assertEverythingAllowedAndEveryGrantUsed("berth-deploy", granted);
    }

    /**
     * What deploy does with one app, in the namespace the settings put it in: a first release with a
     * secret env value, its pods Ready, a second release after a restart of deploy that finds an older
     * rendering of the namespace's NetworkPolicy (so it is replaced), the instances and a pod's logs
     * read, the app removed.
     */
    private void lifecycle(Tenancy tenancy, String namespace) throws Exception {
        KubernetesClient asDeploy = client("berth-deploy");
        KubernetesClient cluster = client(null);
        List<Object> published = new CopyOnWriteArrayList<>();
        PodWatcher watcher = DeployKubernetesCode.startPodWatcher(asDeploy, tenancy, published);
        KubernetesRuntime runtime = DeployKubernetesCode.runtime(asDeploy, tenancy, vertx);
        try {
            // the namespace's policy first, then Secret, Service and Deployment
            DesiredApp v1 = desired(1, "registry.example/hello:1");
            Observation first = runtime.reconcile(v1).await().atMost(WAIT);
            assertEquals(0, first.updated());
            var policies = cluster.network().v1().networkPolicies().inNamespace(namespace);
            NetworkPolicy policy = policies.withName(KubernetesManifests.NETWORK_POLICY).get();
            assertEquals(KubernetesManifests.networkPolicy(namespace, tenancy).getSpec(), policy.getSpec());
            assertEquals(tenancy.gatewayPodLabels(), policy.getSpec().getIngress().get(0).getFrom().get(0).getPodSelector()
                    .getMatchLabels());
            assertEquals(namespace, cluster.apps().deployments().inNamespace(namespace).withName("hello").get()
                    .getMetadata().getNamespace());

            startReadyPods(cluster, namespace, "hello", 2);
            awaitTrue(() -> published.size() >= 2, "the pod watcher published the pods' states");
            awaitTrue(() -> api.accesses().stream().anyMatch(a -> a.rule().equals("pods:watch")), "the pod watcher watches");
            assertTrue(runtime.reconcile(v1).await().atMost(WAIT).complete(), "both pods of v1 are ready");

            // an older Berth's policy (say), found by deploy after a restart: replaced
            policy.getSpec().setIngress(List.of());
            policy.getMetadata().setAnnotations(Map.of(KubernetesManifests.SPEC_HASH_ANNOTATION, "older"));
            policies.resource(policy).update();
            runtime = DeployKubernetesCode.runtime(asDeploy, tenancy, vertx);

            // a new release replaces the Deployment; its Secret is created, never read
            runtime.reconcile(desired(2, "registry.example/hello:2")).await().atMost(WAIT);
            assertEquals(KubernetesManifests.networkPolicy(namespace, tenancy).getSpec(),
                    policies.withName(KubernetesManifests.NETWORK_POLICY).get().getSpec(), "the policy is as rendered again");
            assertEquals("registry.example/hello:2", cluster.apps().deployments().inNamespace(namespace).withName("hello").get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            assertEquals(2, cluster.secrets().inNamespace(namespace).withLabel("berth.io/app", "hello").list().getItems().size());

            assertEquals(2, runtime.instances("hello").await().atMost(WAIT).size());
            String pod = cluster.pods().inNamespace(namespace).withLabel("berth.io/app", "hello").list().getItems().get(0)
                    .getMetadata().getName();
            runtime.recentLogs(pod, 20).await().atMost(WAIT);
            assertTrue(api.accesses().stream().anyMatch(a -> a.rule().equals("pods/log:get") && namespace.equals(a.namespace())),
                    "the logs are read where the pod is");

            runtime.remove("hello", 2, 10).await().atMost(WAIT);
            assertTrue(cluster.apps().deployments().inNamespace(namespace).withName("hello").get() == null);
            assertTrue(cluster.services().inNamespace(namespace).withName("hello").get() == null);
            assertTrue(cluster.secrets().inNamespace(namespace).withLabel("berth.io/app", "hello").list().getItems().isEmpty());
        } finally {
            DeployKubernetesCode.stop(watcher);
        }
    }

    @Test
    void theRegistrarsPodInformerNeedsExactlyTheRegistrarRole() throws Exception {
        Map<String, List<PolicyRule>> granted = grantedTo(chart, "berth-registrar");
        api = new ApiServer();
        api.grant(Map.of("berth-registrar", granted));
        KubernetesClient cluster = client(null);
        startReadyPods(cluster, APPS, "hello", 1);

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
            List<Pod> more = startReadyPods(cluster, APPS, "hello", 1);
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
        List<PolicyRule> narrowed = grantedTo(chart, "berth-deploy").get(APPS).stream()
                .map(rule -> rule.getResources().contains("secrets")
                        ? new PolicyRuleBuilder(rule).withVerbs(rule.getVerbs().stream().filter(v -> !v.equals("deletecollection")).toList()).build()
                        : rule)
                .toList();
        api = new ApiServer();
        api.grant(Map.of("berth-deploy", Map.of(APPS, narrowed)));
        KubernetesRuntime runtime = DeployKubernetesCode.runtime(client("berth-deploy"), tenancy(chart), vertx);
        runtime.reconcile(desired(1, "registry.example/hello:1")).await().atMost(WAIT);

        KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                () -> runtime.remove("hello", 2, 10).await().atMost(WAIT));
        assertEquals(403, refused.getCode());
        assertTrue(api.accesses().stream().anyMatch(a -> !a.allowed() && a.rule().equals("secrets:deletecollection")));
    }

    @Test
    void aRoleInTheAppsNamespaceCannotMakeATeamsNamespace() {
        // the default (Role) RBAC with the per-team setting: the first call outside the apps' namespace is refused
        api = new ApiServer();
        api.grant(Map.of("berth-deploy", grantedTo(chart, "berth-deploy")));
        KubernetesRuntime runtime = DeployKubernetesCode.runtime(client("berth-deploy"), tenancy(perTeam), vertx);
        KubernetesClientException refused = assertThrows(KubernetesClientException.class,
                () -> runtime.reconcile(desired(1, "registry.example/hello:1")).await().atMost(WAIT));
        assertEquals(403, refused.getCode());
        assertTrue(client(null).apps().deployments().inNamespace(TEAM_A).withName("hello").get() == null,
                "nothing deployed outside the isolation");
    }

    /**
     * The rules bound to the service account, by namespace: a Role's (by a RoleBinding, in its
     * namespace), a ClusterRole's (by a ClusterRoleBinding, under {@link ApiServer#CLUSTER}).
     */
    private static Map<String, List<PolicyRule>> grantedTo(Chart.Rendering rendering, String serviceAccount) {
        Map<String, List<PolicyRule>> rules = new TreeMap<>();
        for (RoleBinding binding : rendering.all(RoleBinding.class)) {
            if (boundTo(binding.getSubjects(), serviceAccount)) {
                assertEquals("Role", binding.getRoleRef().getKind());
                Role role = rendering.all(Role.class).stream()
                        .filter(r -> r.getMetadata().getName().equals(binding.getRoleRef().getName())
                                && r.getMetadata().getNamespace().equals(binding.getMetadata().getNamespace()))
                        .findFirst().orElseThrow();
                assertTrue(rules.put(binding.getMetadata().getNamespace(), role.getRules()) == null, "one binding per namespace");
            }
        }
        for (ClusterRoleBinding binding : rendering.all(ClusterRoleBinding.class)) {
            if (boundTo(binding.getSubjects(), serviceAccount)) {
                ClusterRole role = rendering.get(ClusterRole.class, binding.getRoleRef().getName());
                assertTrue(rules.put(ApiServer.CLUSTER, role.getRules()) == null, "one ClusterRoleBinding");
            }
        }
        assertEquals(1, rules.size(), "one binding for " + serviceAccount);
        return rules;
    }

    private static boolean boundTo(List<Subject> subjects, String serviceAccount) {
        return subjects.stream().anyMatch(s -> s.getKind().equals("ServiceAccount") && s.getName().equals(serviceAccount)
                && s.getNamespace().equals(Chart.NAMESPACE));
    }

    /** The settings the chart gives deploy (its ConfigMap), as the service reads them. */
    private static Tenancy tenancy(Chart.Rendering rendering) {
        Map<String, String> config = RenderedObjectsTest.config(rendering, "deploy");
        String except = config.getOrDefault("BERTH_KUBERNETES_EGRESS_EXCEPT", "");
        return new Tenancy(config.get("BERTH_KUBERNETES_NAMESPACE"),
                Boolean.parseBoolean(config.get("BERTH_KUBERNETES_NAMESPACE_PER_TEAM")),
                config.get("BERTH_KUBERNETES_TEAM_NAMESPACE_PREFIX"), config.get("BERTH_KUBERNETES_GATEWAY_NAMESPACE"),
                Tenancy.parseLabels(config.get("BERTH_KUBERNETES_GATEWAY_POD_LABELS")),
                Integer.parseInt(config.get("BERTH_KUBERNETES_GATEWAY_PORT")), Tenancy.cidrs(List.of(except.split(","))));
    }

    private void assertEverythingAllowedAndEveryGrantUsed(String serviceAccount, Map<String, List<PolicyRule>> granted) {
        List<ApiServer.Access> mine = api.accesses();
        List<ApiServer.Access> refused = mine.stream().filter(a -> !a.allowed()).toList();
        assertTrue(refused.isEmpty(), () -> serviceAccount + " was refused: " + refused);
        Set<String> used = mine.stream().map(ApiServer.Access::rule).collect(Collectors.toCollection(TreeSet::new));
        Set<String> grants = granted.values().stream().flatMap(r -> RenderedObjectsTest.grants(r).stream())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(grants, used, serviceAccount + ": every grant used, and nothing used that is not granted");
        System.out.printf("%s made %d requests, all allowed by its %s: %s%n", serviceAccount, mine.size(),
                granted.containsKey(ApiServer.CLUSTER) ? "ClusterRole" : "Role", used);
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
    private static List<Pod> startReadyPods(KubernetesClient cluster, String namespace, String app, int count) {
        Deployment deployment = cluster.apps().deployments().inNamespace(namespace).withName(app).get();
        Map<String, String> labels = deployment == null
                ? Map.of("berth.io/app", app, "berth.io/release", "1", "berth.io/template", "r1s0",
                        "app.kubernetes.io/managed-by", "berth")
                : deployment.getSpec().getTemplate().getMetadata().getLabels();
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = app + "-" + labels.get("berth.io/template") + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
            Pod pod = new PodBuilder()
                    .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                    .withNewSpec().addNewContainer().withName("app").withImage("registry.example/hello:1")
                    .addNewPort().withContainerPort(8080).endPort().endContainer().endSpec()
                    .withNewStatus().withPhase("Running").withPodIP("10.42.0." + (pods.size() + 10))
                    .withConditions(new PodConditionBuilder().withType("Ready").withStatus("True").build())
                    .addNewContainerStatus().withName("app").withReady(true).withRestartCount(0).endContainerStatus()
                    .endStatus().build();
            pods.add(cluster.pods().inNamespace(namespace).resource(pod).create());
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

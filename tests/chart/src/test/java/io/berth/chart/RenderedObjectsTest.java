package io.berth.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.gateway.model.BackendLayout;
import io.berth.gateway.render.HaproxyConfigRenderer;
import io.berth.gateway.render.RenderSettings;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chart's default rendering (and a few variations), object by object, through the fabric8 model. */
class RenderedObjectsTest {
    private static final String APPS = "berth-apps";

    /**
     * What each service's code asks of the Kubernetes API, and so all its Role may grant (resource:verb,
     * API group first where there is one). RuntimeUnderChartRbacTest runs the code under these Roles
     * and sees every grant used and nothing refused.
     */
    private static final Map<String, Set<String>> EXPECTED_GRANTS = Map.of(
            // services/deploy/.../runtime/kubernetes/KubernetesRuntime.java and PodWatcher.java:
            "deploy", Set.of(
                    "networking.k8s.io/networkpolicies:get", "networking.k8s.io/networkpolicies:create", // ensureNamespace(): the policy
                    "networking.k8s.io/networkpolicies:update", // ... replaced when its spec hash differs
                    "apps/deployments:get", "apps/deployments:create", "apps/deployments:update", // apply(): get, create, update when the spec hash differs
                    "apps/deployments:delete", // remove(): deployments().withName(app).delete()
                    "services:get", "services:create", "services:delete", // apply(): get, create when missing; remove()
                    "secrets:create", // apply(): the release's Secret, created once (409 means there: never read)
                    "secrets:deletecollection", // remove(): secrets().withLabel(app).delete()
                    "pods:list", // pods(app): withLabel(app).list()
                    "pods:watch", // PodWatcher: inform() lists and watches
                    "pods:deletecollection", // remove(): pods().withLabel(app).withGracePeriod(..).delete()
                    "pods/log:get"), // recentLogs(): withName(pod).tailingLines(n).getLog()
            // services/registrar/.../runtime/KubernetesPodSource.java: runnableInformer on pods, list then watch
            "registrar", Set.of("pods:list", "pods:watch"));

    /** With a namespace per team, cluster-wide: the same, and what only a namespace per team calls. */
    static final Map<String, Set<String>> EXPECTED_CLUSTER_GRANTS = Map.of(
            "deploy", union(EXPECTED_GRANTS.get("deploy"), Set.of(
                    "namespaces:get", "namespaces:create", // ensureNamespace(): the team's namespace, made when missing
                    "services:list")), // namespacesOf(app): where remove() finds the app's objects
            "registrar", EXPECTED_GRANTS.get("registrar"));

    static Map<String, Set<String>> expectedGrants(boolean namespacePerTeam) {
        return namespacePerTeam ? EXPECTED_CLUSTER_GRANTS : EXPECTED_GRANTS;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    private static Chart.Rendering chart;

    @BeforeAll
    static void render() {
        chart = Chart.render();
    }

    @Test
    void everyServiceIsInstalled() {
        for (ServiceCatalog service : ServiceCatalog.ALL) {
            PodSpec pod = podOf(chart, service.component());
            Container container = container(pod, service.component());
            assertEquals(service.port(), container.getPorts().get(0).getContainerPort(), service.component());
            assertNotNull(chart.get(ServiceAccount.class, service.objectName()));
            assertNotNull(chart.get(ConfigMap.class, service.objectName()));
            if (!service.component().equals("log-collector")) {
                Service svc = chart.get(Service.class, service.objectName());
                assertEquals(service.port(), svc.getSpec().getPorts().get(0).getPort());
                assertEquals(chart.get(Deployment.class, service.objectName()).getSpec().getSelector().getMatchLabels(),
                        svc.getSpec().getSelector(), "the Service selects its Deployment's pods");
            }
        }
        assertEquals(7, chart.all(Deployment.class).size());
        assertEquals(List.of("berth-log-collector"), chart.all(DaemonSet.class).stream().map(d -> d.getMetadata().getName()).toList());
    }

    @Test
    void imagesAndTagsComeFromTheValues() {
        Chart.Rendering custom = Chart.render(Map.of(
                "image.registry", "registry.example.com:5000",
                "image.tag", "2.0.0",
                "services.deploy.image.tag", "2.0.1",
                "services.console.image.repository", "acme/berth-console",
                "gateway.haproxy.image.tag", "2.6.21"));
        assertEquals("registry.example.com:5000/berth/deploy:2.0.1", container(podOf(custom, "deploy"), "deploy").getImage());
        assertEquals("registry.example.com:5000/acme/berth-console:2.0.0", container(podOf(custom, "console"), "console").getImage());
        assertEquals("registry.example.com:5000/berth/log-collector:2.0.0",
                container(podOf(custom, "log-collector"), "log-collector").getImage());
        assertEquals("docker.io/library/haproxy:2.6.21", container(podOf(custom, "gateway"), "haproxy").getImage());

        // defaults: no registry, the chart's appVersion
        for (ServiceCatalog service : ServiceCatalog.ALL) {
            assertEquals("berth/" + service.component() + ":0.1.0",
                    container(podOf(chart, service.component()), service.component()).getImage());
        }
    }

    @Test
    void everyContainerHasProbesAndResources() {
        for (ServiceCatalog service : ServiceCatalog.ALL) {
            PodSpec pod = podOf(chart, service.component());
            for (Container c : pod.getContainers()) {
                String who = service.component() + "/" + c.getName();
                assertNotNull(c.getReadinessProbe(), who + " readiness");
                assertNotNull(c.getLivenessProbe(), who + " liveness");
                if (c.getName().equals(service.component())) {
                    assertEquals("/q/health/ready", c.getReadinessProbe().getHttpGet().getPath(), who);
                    assertEquals("/q/health/live", c.getLivenessProbe().getHttpGet().getPath(), who);
                }
            }
            for (Container c : Stream.concat(pod.getContainers().stream(), pod.getInitContainers().stream()).toList()) {
                String who = service.component() + "/" + c.getName();
                assertTrue(c.getResources().getRequests().keySet().containsAll(List.of("cpu", "memory")), who + " requests");
                assertTrue(c.getResources().getLimits().containsKey("memory"), who + " memory limit");
            }
        }
    }

    @Test
    void podsRunWithoutPrivilegeOnAReadOnlyRoot() {
        for (ServiceCatalog service : ServiceCatalog.ALL) {
            PodSpec pod = podOf(chart, service.component());
            for (Container c : Stream.concat(pod.getContainers().stream(), pod.getInitContainers().stream()).toList()) {
                String who = service.component() + "/" + c.getName();
                assertEquals(Boolean.TRUE, c.getSecurityContext().getReadOnlyRootFilesystem(), who);
                assertEquals(Boolean.FALSE, c.getSecurityContext().getAllowPrivilegeEscalation(), who);
                assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), who);
                assertTrue(c.getSecurityContext().getCapabilities().getAdd() == null
                        || c.getSecurityContext().getCapabilities().getAdd().isEmpty(), who + " adds no capability");
                assertTrue(c.getSecurityContext().getPrivileged() == null || !c.getSecurityContext().getPrivileged(), who);
                assertTrue(c.getSecurityContext().getRunAsUser() == null, who + " takes the pod's user");
            }
            String who = service.component();
            assertEquals("RuntimeDefault", pod.getSecurityContext().getSeccompProfile().getType(), who + " seccomp");
            assertTrue(pod.getHostNetwork() == null || !pod.getHostNetwork(), who + " hostNetwork");
            assertTrue(pod.getHostPID() == null || !pod.getHostPID(), who + " hostPID");
            assertTrue(pod.getHostIPC() == null || !pod.getHostIPC(), who + " hostIPC");
            // the service's JVM writes only to /tmp, an emptyDir
            Container own = container(pod, service.component());
            assertNotNull(volume(pod, mount(own, "/tmp").getName()).getEmptyDir(), who + " /tmp");
            List<String> hostPaths = pod.getVolumes().stream().filter(v -> v.getHostPath() != null).map(Volume::getName).toList();
            if (service.component().equals("log-collector")) {
                // the kubelet's log files are root's, mode 0640: the collector alone runs as root, without capabilities
                assertEquals(0L, pod.getSecurityContext().getRunAsUser());
                assertEquals(List.of("pod-logs", "state"), hostPaths);
            } else {
                assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), who);
                assertEquals(10001L, pod.getSecurityContext().getRunAsUser(), who + ": the images' numeric user");
                assertEquals(List.of(), hostPaths, who + " mounts nothing of the node");
            }
        }
    }

    @Test
    void theLogCollectorIsADaemonSetThatReadsPodLogsReadOnly() {
        PodSpec pod = chart.get(DaemonSet.class, "berth-log-collector").getSpec().getTemplate().getSpec();
        VolumeMount logs = mount(container(pod, "log-collector"), "/var/log/pods");
        assertEquals(Boolean.TRUE, logs.getReadOnly(), "/var/log/pods is mounted read-only");
        Volume logVolume = volume(pod, logs.getName());
        assertEquals("/var/log/pods", logVolume.getHostPath().getPath());

        Map<String, String> config = config(chart, "log-collector");
        assertEquals("kubernetes", config.get("BERTH_LOG_COLLECTOR_LAYOUT"));
        assertEquals("/var/log/pods", config.get("BERTH_LOG_COLLECTOR_LOG_DIR"));
        VolumeMount state = mount(container(pod, "log-collector"), config.get("BERTH_LOG_COLLECTOR_STATE_DIR"));
        assertTrue(state.getReadOnly() == null || !state.getReadOnly(), "checkpoints are written");
        assertEquals("/var/lib/berth/log-collector", volume(pod, state.getName()).getHostPath().getPath());
    }

    @Test
    void rbacGrantsEachServiceExactlyWhatItsCodeUsesAndNothingClusterWide() {
        assertTrue(chart.all(ClusterRole.class).isEmpty(), "no ClusterRole");
        assertTrue(chart.all(ClusterRoleBinding.class).isEmpty(), "no ClusterRoleBinding");
        Map<String, Set<String>> granted = new TreeMap<>();
        for (RoleBinding binding : chart.all(RoleBinding.class)) {
            assertEquals(APPS, binding.getMetadata().getNamespace(), "bindings live in the apps' namespace");
            Role role = chart.get(Role.class, binding.getRoleRef().getName());
            assertEquals(APPS, role.getMetadata().getNamespace());
            for (var subject : binding.getSubjects()) {
                assertEquals("ServiceAccount", subject.getKind());
                assertEquals(Chart.NAMESPACE, subject.getNamespace());
                granted.computeIfAbsent(subject.getName().substring(Chart.RELEASE.length() + 1), k -> new TreeSet<>())
                        .addAll(grants(role.getRules()));
            }
        }
        assertEquals(new TreeMap<>(EXPECTED_GRANTS).keySet(), granted.keySet(), "only deploy and registrar are bound to a Role");
        EXPECTED_GRANTS.forEach((service, expected) -> assertEquals(new TreeSet<>(expected), granted.get(service), service));
        for (Role role : chart.all(Role.class)) {
            assertNoWildcard(role.getMetadata().getName(), role.getRules());
        }
    }

    @Test
    void withANamespacePerTeamDeployAndTheRegistrarGetClusterRolesAndNothingMore() {
        Chart.Rendering perTeam = Chart.render(Map.of("apps.namespacePerTeam", "true"));
        assertTrue(perTeam.all(Role.class).isEmpty(), "no Role: the teams' namespaces do not exist yet");
        assertTrue(perTeam.all(RoleBinding.class).isEmpty());
        assertTrue(perTeam.find(Namespace.class, APPS).isEmpty(), "deploy makes each team's namespace; no shared one");
        Map<String, Set<String>> granted = new TreeMap<>();
        for (ClusterRoleBinding binding : perTeam.all(ClusterRoleBinding.class)) {
            assertEquals("ClusterRole", binding.getRoleRef().getKind());
            ClusterRole role = perTeam.get(ClusterRole.class, binding.getRoleRef().getName());
            assertNoWildcard(role.getMetadata().getName(), role.getRules());
            for (PolicyRule rule : role.getRules()) {
                assertTrue(rule.getResources().stream().noneMatch(r -> r.equals("secrets")) || !rule.getVerbs().contains("get")
                        && !rule.getVerbs().contains("list") && !rule.getVerbs().contains("watch"), "no Secret is readable");
                assertTrue(!rule.getResources().contains("namespaces") || List.of("get", "create").containsAll(rule.getVerbs()),
                        "namespaces are never relabelled or deleted: " + rule);
            }
            for (var subject : binding.getSubjects()) {
                assertEquals("ServiceAccount", subject.getKind());
                assertEquals(Chart.NAMESPACE, subject.getNamespace());
                granted.computeIfAbsent(subject.getName().substring(Chart.RELEASE.length() + 1), k -> new TreeSet<>())
                        .addAll(grants(role.getRules()));
            }
        }
        assertEquals(new TreeMap<>(EXPECTED_CLUSTER_GRANTS).keySet(), granted.keySet());
        EXPECTED_CLUSTER_GRANTS.forEach((service, expected) -> assertEquals(new TreeSet<>(expected), granted.get(service), service));
        Map<String, String> deploy = config(perTeam, "deploy");
        assertEquals("true", deploy.get("BERTH_KUBERNETES_NAMESPACE_PER_TEAM"));
        assertEquals("berth-", deploy.get("BERTH_KUBERNETES_TEAM_NAMESPACE_PREFIX"));
        assertEquals("acme-", config(Chart.render(Map.of("apps.namespacePerTeam", "true", "apps.teamNamespacePrefix", "acme-")),
                "deploy").get("BERTH_KUBERNETES_TEAM_NAMESPACE_PREFIX"));
    }

    private static void assertNoWildcard(String role, List<PolicyRule> rules) {
        for (PolicyRule rule : rules) {
            assertFalse(rule.getVerbs().contains("*") || rule.getResources().contains("*") || rule.getApiGroups().contains("*"),
                    "no wildcard in " + role);
            assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty(), role);
        }
    }

    @Test
    void theAppsNetworkPolicyAdmitsTheRenderedGatewaysPods() {
        Map<String, String> deploy = config(chart, "deploy");
        assertEquals(Chart.NAMESPACE, deploy.get("BERTH_KUBERNETES_GATEWAY_NAMESPACE"), "the gateway runs in the release's namespace");
        Map<String, String> selector = new TreeMap<>();
        for (String pair : deploy.get("BERTH_KUBERNETES_GATEWAY_POD_LABELS").split(",")) {
            selector.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        Deployment gateway = chart.get(Deployment.class, "berth-gateway");
        assertEquals(new TreeMap<>(gateway.getSpec().getSelector().getMatchLabels()), selector,
                "deploy's NetworkPolicy selects exactly the gateway's pods");
        assertTrue(gateway.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()));
        List<String> selected = chart.all(Deployment.class).stream()
                .filter(d -> d.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                .map(d -> d.getMetadata().getName()).toList();
        assertEquals(List.of("berth-gateway"), selected, "and no other Berth pod");
        assertEquals(Integer.parseInt(deploy.get("BERTH_KUBERNETES_GATEWAY_PORT")),
                container(podOf(chart, "gateway"), "haproxy").getPorts().get(0).getContainerPort(), "HAProxy's apps port");
        assertFalse(deploy.containsKey("BERTH_KUBERNETES_EGRESS_EXCEPT"), "nothing excepted unless the values say");
        Chart.Rendering excepted = Chart.render(Map.of("apps.networkPolicy.egressExcept[0]", "10.42.0.0/16",
                "apps.networkPolicy.egressExcept[1]", "10.96.0.0/12", "apps.networkPolicy.egressExcept[2]", "fd00::/8"));
        assertEquals("10.42.0.0/16,10.96.0.0/12,fd00::/8", config(excepted, "deploy").get("BERTH_KUBERNETES_EGRESS_EXCEPT"));
    }

    @Test
    void theAppsNamespaceEnforcesTheRestrictedPodSecurityStandard() {
        Namespace apps = chart.get(Namespace.class, APPS);
        assertEquals("restricted", apps.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"),
                "every app pod deploy renders meets it");
    }

    @Test
    void onlyTheServicesThatCallTheApiGetAToken() {
        for (ServiceCatalog service : ServiceCatalog.ALL) {
            boolean needsApi = ServiceCatalog.WITH_KUBERNETES_API.contains(service.component());
            ServiceAccount account = chart.get(ServiceAccount.class, service.objectName());
            PodSpec pod = podOf(chart, service.component());
            assertEquals(service.objectName(), pod.getServiceAccountName());
            assertEquals(needsApi, account.getAutomountServiceAccountToken(), service.component() + " account");
            assertEquals(needsApi, pod.getAutomountServiceAccountToken(), service.component() + " pod");
        }
    }

    @Test
    void everyEnvironmentVariableIsAKeyTheServiceReads() {
        for (ServiceCatalog service : ServiceCatalog.ALL) {
            Set<String> known = knownEnvNames(service.module());
            PodSpec pod = podOf(chart, service.component());
            Container container = container(pod, service.component());
            Set<String> set = new TreeSet<>();
            for (EnvFromSource from : container.getEnvFrom()) {
                set.addAll(chart.get(ConfigMap.class, from.getConfigMapRef().getName()).getData().keySet());
            }
            container.getEnv().stream().map(EnvVar::getName).forEach(set::add);
            Set<String> unknown = set.stream().filter(n -> !known.contains(n)).collect(Collectors.toCollection(TreeSet::new));
            assertTrue(unknown.isEmpty(), service.component() + " is given keys it never reads: " + unknown);
            assertTrue(set.containsAll(List.of("BERTH_HTTP_HOST", "BERTH_KAFKA_BOOTSTRAP_SERVERS",
                    "BERTH_AUTH_ADMIN_TOKEN_SHA256", "BERTH_AUTH_SERVICE_TOKEN")), service.component() + ": " + set);
        }
    }

    @Test
    void servicesFindEachOtherThroughTheRenderedServices() {
        Map<String, Integer> ports = chart.all(Service.class).stream().collect(Collectors.toMap(
                s -> s.getMetadata().getName(), s -> s.getSpec().getPorts().get(0).getPort()));
        int urls = 0;
        for (ServiceCatalog service : ServiceCatalog.ALL) {
            for (var entry : config(chart, service.component()).entrySet()) {
                if (entry.getKey().endsWith("_URL") && !entry.getKey().equals("BERTH_ELASTICSEARCH_URL")
                        || entry.getKey().startsWith("BERTH_CONSOLE_SERVICES_")) {
                    URI uri = URI.create(entry.getValue());
                    assertEquals(ports.get(uri.getHost()), uri.getPort(), service.component() + " " + entry);
                    urls++;
                }
            }
        }
        assertEquals(9, urls, "deploy->gateway, autoscaler->deploy, gateway->registrar, console->6 services");
    }

    @Test
    void everyDeploymentHasADisruptionBudgetThatLetsADrainThrough() {
        for (Deployment deployment : chart.all(Deployment.class)) {
            PodDisruptionBudget budget = chart.get(PodDisruptionBudget.class, deployment.getMetadata().getName());
            assertEquals(deployment.getSpec().getSelector(), budget.getSpec().getSelector());
            assertEquals(1, budget.getSpec().getMaxUnavailable().getIntVal());
        }
    }

    @Test
    void haproxyStartsWithTheControllersOwnRenderAndSharesItsSockets() {
        Map<String, String> config = config(chart, "gateway");
        RenderSettings settings = new RenderSettings(config.get("BERTH_GATEWAY_DOMAIN"), config.get("BERTH_GATEWAY_BIND"),
                config.get("BERTH_GATEWAY_STATS_BIND"), Path.of(config.get("BERTH_HAPROXY_ADMIN_SOCKET")),
                Path.of(config.get("BERTH_HAPROXY_CONFIG")).resolveSibling("pid"), Duration.ofSeconds(1), 2, 2, true);
        assertEquals(HaproxyConfigRenderer.render(BackendLayout.empty(), Map.of(), settings),
                chart.get(ConfigMap.class, "berth-haproxy").getData().get("haproxy.cfg"));

        PodSpec pod = podOf(chart, "gateway");
        Container haproxy = container(pod, "haproxy");
        Container controller = container(pod, "gateway");
        String runDir = Path.of(config.get("BERTH_HAPROXY_CONFIG")).getParent().toString();
        assertEquals(mount(haproxy, runDir).getName(), mount(controller, runDir).getName(), "one shared volume");
        assertNotNull(volume(pod, mount(haproxy, runDir).getName()).getEmptyDir());
        for (String key : List.of("BERTH_HAPROXY_ADMIN_SOCKET", "BERTH_HAPROXY_MASTER_SOCKET", "BERTH_HAPROXY_CONFIG")) {
            assertEquals(runDir, Path.of(config.get(key)).getParent().toString(), key);
        }
        assertEquals(List.of("haproxy", "-W", "-S", config.get("BERTH_HAPROXY_MASTER_SOCKET"), "-f", config.get("BERTH_HAPROXY_CONFIG")),
                haproxy.getCommand());
        assertEquals(8000, haproxy.getPorts().get(0).getContainerPort());
        assertEquals(":8000", config.get("BERTH_GATEWAY_BIND"));
        Service apps = chart.get(Service.class, "berth-gateway-apps");
        assertEquals("LoadBalancer", apps.getSpec().getType());
        assertEquals("apps", apps.getSpec().getPorts().get(0).getTargetPort().getStrVal());
    }

    /** The env names a service reads: its application.properties, common's shared defaults, its @ConfigProperty names. */
    static Set<String> knownEnvNames(String module) {
        Set<String> keys = new HashSet<>();
        keys.addAll(propertyKeys(Chart.REPO.resolve(module).resolve("src/main/resources/application.properties")));
        keys.addAll(propertyKeys(Chart.REPO.resolve("services/common/src/main/resources/META-INF/microprofile-config.properties")));
        keys.addAll(configPropertyNames(Chart.REPO.resolve(module).resolve("src/main/java")));
        keys.addAll(configPropertyNames(Chart.REPO.resolve("services/common/src/main/java")));
        return keys.stream().map(k -> k.toUpperCase().replaceAll("[^A-Z0-9]", "_")).collect(Collectors.toSet());
    }

    private static Set<String> propertyKeys(Path file) {
        Properties properties = new Properties();
        try (var in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.stringPropertyNames().stream().map(k -> k.replaceFirst("^%[^.]+\\.", "")).collect(Collectors.toSet());
    }

    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\"");

    private static Set<String> configPropertyNames(Path sources) {
        try (Stream<Path> files = Files.walk(sources)) {
            Set<String> names = new HashSet<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = CONFIG_PROPERTY.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> grants(List<PolicyRule> rules) {
        Set<String> grants = new TreeSet<>();
        for (PolicyRule rule : rules) {
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        grants.add((group.isEmpty() ? "" : group + "/") + resource + ":" + verb);
                    }
                }
            }
        }
        return grants;
    }

    static PodSpec podOf(Chart.Rendering rendering, String component) {
        String name = Chart.RELEASE + "-" + component;
        return rendering.find(Deployment.class, name).map(d -> d.getSpec().getTemplate().getSpec())
                .orElseGet(() -> rendering.get(DaemonSet.class, name).getSpec().getTemplate().getSpec());
    }

    static Container container(PodSpec pod, String name) {
        return pod.getContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static Map<String, String> config(Chart.Rendering rendering, String component) {
        return rendering.get(ConfigMap.class, Chart.RELEASE + "-" + component).getData();
    }

    private static VolumeMount mount(Container container, String path) {
        return container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " mounts nothing at " + path));
    }

    private static Volume volume(PodSpec pod, String name) {
        return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst().orElseThrow();
    }
}

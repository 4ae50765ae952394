package io.berth.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.events.instance.InstanceState;
import io.berth.registrar.runtime.InstanceSource;
import io.berth.registrar.runtime.KubernetesPodSource;
import io.berth.registrar.runtime.PodInstances;
import io.berth.registrar.runtime.RuntimeInstance;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pod source against fabric8's mock API server in CRUD mode (no real API server can be had
 * here; the test plays the kubelet by writing pod status).
 */
class KubernetesPodSourceTest {
    static final String NS = "berth-apps-test";
    private KubernetesMockServer server;
    private KubernetesClient client;
    private KubernetesPodSource source;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<List<RuntimeInstance>> snapshots = new CopyOnWriteArrayList<>();
    private final List<RuntimeInstance> changes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
        client.close();
        server.destroy();
    }

    @Test
    void podsOfBerthAppsBecomeInstancesWithTheirStateAddressAndPort() throws Exception {
        client.pods().inNamespace(NS).resource(pod("shop-3-abc", "shop")).create();
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("not-ours")
                .withLabels(Map.of("app", "x")).endMetadata().build()).create();

        source = new KubernetesPodSource(client, NS);
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
                seen.add("removed " + last.id());
            }
        });
        await(() -> !snapshots.isEmpty());
        RuntimeInstance first = snapshots.get(0).get(0);
        assertEquals(1, snapshots.get(0).size(), "only pods labelled berth.io/app");
        assertEquals(new RuntimeInstance("shop-3-abc", "shop", "team-k", 3, InstanceState.RUNNING, "10.1.2.3", 8080, null,
                first.labels(), first.version()), first);

        // the kubelet reports the readiness probe passing
        Pod current = client.pods().inNamespace(NS).withName("shop-3-abc").get();
        current.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True").build()));
        client.pods().inNamespace(NS).resource(current).updateStatus();
        await(() -> changes.stream().anyMatch(i -> i.state() == InstanceState.READY));
        RuntimeInstance ready = changes.stream().filter(i -> i.state() == InstanceState.READY).findFirst().orElseThrow();
        assertTrue(ready.version() > first.version(), "resourceVersion orders the changes");

        source.resync();
        await(() -> snapshots.size() == 2 && snapshots.get(1).get(0).state() == InstanceState.READY);

        client.pods().inNamespace(NS).withName("shop-3-abc").delete();
        await(() -> seen.contains("removed shop-3-abc"));
    }

    @Test
    void podStateIsPhasePlusReadinessAndDeletionMeansTerminating() {
        Pod pod = pod("a", "shop");
        assertEquals(InstanceState.RUNNING, PodInstances.instance(pod).state());
        pod.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True").build()));
        assertEquals(InstanceState.READY, PodInstances.instance(pod).state());
        pod.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("False")
                .withReason("ReadinessProbeFailed").build()));
        assertEquals(InstanceState.UNREADY, PodInstances.instance(pod).state());
        pod.getMetadata().setDeletionTimestamp("2026-11-22T00:00:00Z");
        assertEquals(InstanceState.TERMINATING, PodInstances.instance(pod).state());
        pod.getMetadata().setDeletionTimestamp(null);
        pod.getStatus().setPhase("Pending");
        pod.getStatus().setConditions(List.of());
        assertEquals(InstanceState.PENDING, PodInstances.instance(pod).state());
        pod.getStatus().setPhase("Failed");
        assertEquals(InstanceState.FAILED, PodInstances.instance(pod).state());
    }

    static Pod pod(String name, String app) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(NS)
                    .withLabels(Map.of(PodInstances.APP_LABEL, app, "berth.io/release", "3", "berth.io/team", "team-k"))
                .endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("shop:3")
                    .addNewPort().withName("http").withContainerPort(8080).endPort().endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP("10.1.2.3").endStatus()
                .build();
    }

    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not within 10 s");
    }
}

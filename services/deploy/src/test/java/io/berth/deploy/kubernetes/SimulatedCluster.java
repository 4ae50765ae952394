package io.berth.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Plays, against the mock API server, the parts of a cluster that act on what Berth writes: the
 * Deployment controller (pods from the current template) and the kubelet (pod status, readiness),
 * in the namespace the apps under test run in.
 */
final class SimulatedCluster implements AutoCloseable {
    private static final AtomicInteger POD_SERIAL = new AtomicInteger();
    final KubernetesClient client;
    final String namespace;

    SimulatedCluster() {
        this(KubernetesMockServerResource.NAMESPACE);
    }

    SimulatedCluster(String namespace) {
        this.namespace = namespace;
        String url = ConfigProvider.getConfig().getValue("berth.kubernetes.master-url", String.class);
        client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(url).build()).build();
    }

    Deployment awaitDeployment(String app, Predicate<Deployment> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Deployment last = null;
        while (System.nanoTime() < deadline) {
            last = client.apps().deployments().inNamespace(namespace).withName(app).get();
            if (last != null && condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Deployment " + app + " did not get there; last: " + last);
    }

    /** As the ReplicaSet controller and the kubelet would: pods of the Deployment's template, running, not yet Ready. */
    List<Pod> startPods(Deployment deployment, int count) {
        List<Pod> pods = new ArrayList<>();
        var template = deployment.getSpec().getTemplate();
        String templateName = template.getMetadata().getLabels().get("berth.io/template");
        for (int i = 0; i < count; i++) {
            int serial = POD_SERIAL.incrementAndGet();
            Pod pod = new PodBuilder()
                    .withNewMetadata()
                        .withName(deployment.getMetadata().getName() + "-" + templateName + "-" + serial)
                        .withNamespace(namespace)
                        .withLabels(template.getMetadata().getLabels())
                    .endMetadata()
                    .withSpec(template.getSpec())
                    .withNewStatus()
                        .withPhase("Running")
                        .withPodIP("10.42.0." + (serial % 250 + 1))
                        .withConditions(condition("PodScheduled", "True", null), condition("Ready", "False", "ContainersNotReady"))
                        .addNewContainerStatus().withName("app").withRestartCount(0).withReady(false).endContainerStatus()
                    .endStatus()
                    .build();
            pods.add(client.pods().inNamespace(namespace).resource(pod).create());
        }
        return pods;
    }

    /** The readiness probe passed (or, with {@code false}, started failing). */
    Pod setReady(Pod pod, boolean ready) {
        Pod current = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).get();
        current.getStatus().setConditions(List.of(condition("PodScheduled", "True", null),
                condition("Ready", ready ? "True" : "False", ready ? null : "ReadinessProbeFailed")));
        current.getStatus().getContainerStatuses().get(0).setReady(ready);
        return client.pods().inNamespace(namespace).resource(current).updateStatus();
    }

    void delete(List<Pod> pods) {
        for (Pod pod : pods) {
            client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
        }
    }

    List<Pod> pods(String app) {
        return client.pods().inNamespace(namespace).withLabel("berth.io/app", app)
                .list().getItems();
    }

    private static io.fabric8.kubernetes.api.model.PodCondition condition(String type, String status, String reason) {
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).build();
    }

    @Override
    public void close() {
        client.close();
    }
}

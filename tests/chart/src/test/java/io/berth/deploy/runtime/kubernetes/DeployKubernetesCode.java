package io.berth.deploy.runtime.kubernetes;

import io.berth.events.CloudEvent;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.inject.Instance;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * The deploy service's Kubernetes code as it runs in the service, built by hand instead of by CDI
 * (its constructors and start method are package-private): the chart's RBAC test drives the real
 * classes, not a copy of their calls.
 */
public final class DeployKubernetesCode {
    private DeployKubernetesCode() {
    }

    public static KubernetesRuntime runtime(KubernetesClient client, Tenancy tenancy, Vertx vertx) {
        return new KubernetesRuntime(client, tenancy, vertx);
    }

    /** The pod informer that publishes berth.instances, started as at the service's start; what it publishes lands in {@code published}. */
    @SuppressWarnings("unchecked")
    public static PodWatcher startPodWatcher(KubernetesClient client, Tenancy tenancy, List<Object> published) {
        PodWatcher watcher = new PodWatcher();
        watcher.instances = (MutinyEmitter<Record<String, CloudEvent>>) Proxy.newProxyInstance(
                DeployKubernetesCode.class.getClassLoader(), new Class<?>[] {MutinyEmitter.class}, (proxy, method, args) -> {
                    if (method.getName().equals("send") && args != null && args.length == 1) {
                        published.add(args[0]);
                        return Uni.createFrom().voidItem();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        watcher.start(null, "kubernetes", instance(client), instance(tenancy));
        return watcher;
    }

    /** A CDI Instance that holds {@code value}, as the service's container would give it. */
    @SuppressWarnings("unchecked")
    private static <T> Instance<T> instance(T value) {
        return (Instance<T>) Proxy.newProxyInstance(
                DeployKubernetesCode.class.getClassLoader(), new Class<?>[] {Instance.class}, (proxy, method, args) -> {
                    if (method.getName().equals("get")) {
                        return value;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    public static void stop(PodWatcher watcher) {
        watcher.stop(null);
    }
}

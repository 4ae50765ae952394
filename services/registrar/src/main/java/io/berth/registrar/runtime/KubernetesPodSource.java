package io.berth.registrar.runtime;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Kubernetes as a source: a fabric8 shared informer on the namespace's pods that carry
 * {@code berth.io/app}. The informer lists, watches and relists on its own (a 410 Gone included);
 * this hands its cache over as the snapshot once it has synced, and every add, update and delete
 * after that.
 */
public final class KubernetesPodSource implements InstanceSource {
    private static final Logger LOG = Logger.getLogger(KubernetesPodSource.class);

    private final KubernetesClient client;
    private final String namespace;
    private SharedIndexInformer<Pod> informer;
    private volatile Listener listener;

    public KubernetesPodSource(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    @Override
    public synchronized void start(Listener listener) {
        this.listener = listener;
        informer = client.pods().inNamespace(namespace).withLabel(PodInstances.APP_LABEL).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        listener.changed(PodInstances.instance(pod));
                    }

                    @Override
                    public void onUpdate(Pod before, Pod pod) {
                        listener.changed(PodInstances.instance(pod));
                    }

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        listener.removed(PodInstances.instance(pod));
                    }
                });
        informer.start().whenComplete((ignored, error) -> {
            if (error != null) {
                LOG.errorf(error, "pod informer of namespace %s failed to start", namespace);
            } else {
                resync();
            }
        });
    }

    /** The informer's cache, which it keeps equal to the API server, as a fresh snapshot. */
    @Override
    public void resync() {
        Listener l = listener;
        if (informer != null && l != null && informer.hasSynced()) {
            List<RuntimeInstance> pods = informer.getStore().list().stream().map(PodInstances::instance).toList();
            l.snapshot(pods);
        }
    }

    @Override
    public synchronized void stop() {
        if (informer != null) {
            informer.close();
        }
    }
}

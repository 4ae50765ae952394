package io.berth.deploy.runtime.kubernetes;

import io.berth.deploy.runtime.RuntimeSelection;
import io.berth.events.CloudEvent;
import io.berth.events.instance.InstanceState;
import io.berth.events.instance.InstanceStateChanged;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * On Kubernetes, what the agent's own events are on the embedded runtime: a pod informer turns
 * every change of a Berth pod's state into an InstanceStateChanged on berth.instances. Only a
 * change of state is published (a pod's status changes far more often than its state), and the
 * informer's periodic resync re-publishes nothing. It watches the shared apps' namespace, or every
 * namespace when each team has one of its own.
 */
@ApplicationScoped
public class PodWatcher {
    private static final Logger LOG = Logger.getLogger(PodWatcher.class);
    static final String SOURCE = "/berth/deploy/kubernetes";
    private static final long RESYNC_MILLIS = 60_000;

    @Channel("instances")
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 10_000)
    MutinyEmitter<Record<String, CloudEvent>> instances;

    private final Map<String, InstanceState> published = new ConcurrentHashMap<>();
    private final AtomicLong localVersion = new AtomicLong();
    private SharedIndexInformer<Pod> informer;

    void start(@Observes StartupEvent event, @ConfigProperty(name = "berth.deploy.runtime") String runtime,
            Instance<KubernetesClient> client, Instance<Tenancy> tenancy) {
        if (!RuntimeSelection.KUBERNETES.equals(runtime)) {
            return;
        }
        Tenancy where = tenancy.get();
        // with a namespace per team, the namespaces come and go with the teams: one informer on all of them
        var pods = where.namespacePerTeam() ? client.get().pods().inAnyNamespace()
                : client.get().pods().inNamespace(where.sharedNamespace());
        informer = pods
                .withLabel(KubernetesManifests.MANAGED_BY_LABEL, KubernetesManifests.MANAGED_BY)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        changed(pod, PodStates.state(pod));
                    }

                    @Override
                    public void onUpdate(Pod before, Pod after) {
                        changed(after, PodStates.state(after));
                    }

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        changed(pod, InstanceState.TERMINATED);
                        published.remove(pod.getMetadata().getUid());
                    }
                }, RESYNC_MILLIS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (informer != null) {
            informer.close();
        }
    }

    private void changed(Pod pod, InstanceState state) {
        if (state == published.put(pod.getMetadata().getUid(), state)) {
            return;
        }
        var instance = PodStates.instance(pod);
        int release = PodStates.release(pod);
        if (release < 1) {
            return;
        }
        String app = pod.getMetadata().getLabels().get(KubernetesManifests.APP_LABEL);
        InstanceStateChanged data = new InstanceStateChanged(app, instance.id(), release, state, instance.host(),
                instance.port(), version(pod), instance.reason());
        instances.send(Record.of(app, CloudEvent.of(SOURCE, data)))
                .subscribe().with(ok -> { }, e -> LOG.warnf("could not publish the state of pod %s: %s",
                        instance.id(), e.getMessage()));
    }

    /** The pod's resourceVersion grows with each change; where it is not a number, a local counter does. */
    private long version(Pod pod) {
        try {
            return Long.parseLong(pod.getMetadata().getResourceVersion());
        } catch (NumberFormatException | NullPointerException e) {
            return localVersion.incrementAndGet();
        }
    }
}

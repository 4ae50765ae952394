package io.berth.deploy.runtime.kubernetes;

import io.berth.common.problem.ProblemException;
import io.berth.deploy.release.ReleaseSpec;
import io.berth.deploy.runtime.AppRuntime;
import io.berth.deploy.runtime.DesiredApp;
import io.berth.deploy.runtime.Observation;
import io.berth.deploy.runtime.RuntimeInstance;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Kubernetes runtime: each reconcile makes the app's Deployment, Service and Secret equal to
 * what {@link KubernetesManifests} renders, and reads the rollout's progress back from the app's
 * pods. The rolling update itself is the Deployment controller's; rollback and scale are just a
 * different desired state. The fabric8 client blocks, so its calls run on a worker thread and
 * their results come back on the caller's Vert.x context (where the Hibernate session lives).
 */
@ApplicationScoped
@Typed(KubernetesRuntime.class)
public class KubernetesRuntime implements AppRuntime {
    private final KubernetesClient client;
    private final String namespace;
    private final Vertx vertx;

    KubernetesRuntime(KubernetesClient client, @ConfigProperty(name = "berth.kubernetes.namespace") String namespace,
            Vertx vertx) {
        this.client = client;
        this.namespace = namespace;
        this.vertx = vertx;
    }

    @Override
    public void requireRunnable(ReleaseSpec spec) {
        if (spec.image() == null) {
            throw ProblemException.invalidField("image", "the Kubernetes runtime runs container images: set 'image'");
        }
        if (spec.strategy() != null && spec.strategy().canary() != null) {
            throw ProblemException.invalidField("strategy.canary", "weighted canaries need the gateway's server "
                    + "weights, which the Kubernetes runtime does not drive yet: roll out without a canary");
        }
    }

    @Override
    public Uni<Observation> reconcile(DesiredApp desired) {
        return blocking(() -> {
            apply(desired);
            return PodStates.observe(desired.replicas(), desired.template(), pods(desired.app()));
        });
    }

    @Override
    public Uni<List<RuntimeInstance>> instances(String app) {
        return blocking(() -> pods(app).stream().map(PodStates::instance)
                .sorted(Comparator.comparing(RuntimeInstance::id)).toList());
    }

    @Override
    public Uni<Void> remove(String app, int drainSeconds, int gracePeriodSeconds) {
        return blocking(() -> {
            client.apps().deployments().inNamespace(namespace).withName(app).delete();
            client.services().inNamespace(namespace).withName(app).delete();
            client.secrets().inNamespace(namespace).withLabel(KubernetesManifests.APP_LABEL, app).delete();
            // the garbage collector would delete them too; saying so makes the grace period ours
            client.pods().inNamespace(namespace).withLabel(KubernetesManifests.APP_LABEL, app)
                    .withGracePeriod((long) drainSeconds + gracePeriodSeconds).delete();
            return null;
        });
    }

    @Override
    public Uni<String> recentLogs(String instanceId, int lines) {
        return blocking(() -> {
            try {
                String log = client.pods().inNamespace(namespace).withName(instanceId).tailingLines(lines).getLog();
                return log == null ? "" : log;
            } catch (KubernetesClientException e) {
                return "";
            }
        });
    }

    /** One place that writes: each object is created when missing and replaced only when its rendering changed. */
    private void apply(DesiredApp desired) {
        Secret secret = KubernetesManifests.secret(desired, namespace);
        if (secret != null && client.secrets().inNamespace(namespace).withName(secret.getMetadata().getName()).get() == null) {
            client.secrets().inNamespace(namespace).resource(secret).create();
        }
        var service = KubernetesManifests.service(desired, namespace);
        if (client.services().inNamespace(namespace).withName(desired.app()).get() == null) {
            client.services().inNamespace(namespace).resource(service).create();
        }
        Deployment wanted = KubernetesManifests.deployment(desired, namespace);
        Resource<Deployment> existing = client.apps().deployments().inNamespace(namespace).withName(desired.app());
        Deployment current = existing.get();
        if (current == null) {
            client.apps().deployments().inNamespace(namespace).resource(wanted).create();
        } else if (!Objects.equals(hash(current), hash(wanted))) {
            wanted.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            client.apps().deployments().inNamespace(namespace).resource(wanted).update();
        }
    }

    private List<Pod> pods(String app) {
        return client.pods().inNamespace(namespace).withLabel(KubernetesManifests.APP_LABEL, app).list().getItems();
    }

    private static String hash(HasMetadata object) {
        var annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(KubernetesManifests.SPEC_HASH_ANNOTATION);
    }

    private <T> Uni<T> blocking(Supplier<T> call) {
        return vertx.executeBlocking(Uni.createFrom().item(call), false);
    }
}

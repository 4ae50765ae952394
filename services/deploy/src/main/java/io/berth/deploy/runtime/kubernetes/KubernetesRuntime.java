package io.berth.deploy.runtime.kubernetes;

import io.berth.common.problem.ProblemException;
import io.berth.deploy.release.ReleaseSpec;
import io.berth.deploy.runtime.AppRuntime;
import io.berth.deploy.runtime.DesiredApp;
import io.berth.deploy.runtime.Observation;
import io.berth.deploy.runtime.RuntimeInstance;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The Kubernetes runtime: each reconcile makes the app's namespace (one per team, when
 * {@link Tenancy#namespacePerTeam()}), that namespace's NetworkPolicy, and the app's Deployment,
 * Service and Secret equal to what {@link KubernetesManifests} renders, and reads the rollout's
 * progress back from the app's pods. The rolling update itself is the Deployment controller's;
 * rollback and scale are just a different desired state. The fabric8 client blocks, so its calls
 * run on a worker thread and their results come back on the caller's Vert.x context (where the
 * Hibernate session lives).
 */
@ApplicationScoped
@Typed(KubernetesRuntime.class)
public class KubernetesRuntime implements AppRuntime {
    /**
     * How long a namespace's policy or a release's Secret, once checked, is taken as present: each
     * reconcile (every second, per app) would otherwise ask again. A deleted one comes back within it.
     */
    static final Duration RECHECK = Duration.ofSeconds(60);
    private static final String NAMESPACE_KEY = "namespace/";
    private static final String SECRET_KEY = "secret/";

    private final KubernetesClient client;
    private final Tenancy tenancy;
    private final Vertx vertx;
    private final Duration recheck;
    /** what was made or found as rendered, and when (System.nanoTime()): "namespace/ns", "secret/ns/name" */
    private final Map<String, Long> present = new ConcurrentHashMap<>();
    /** the namespace each app was last reconciled in, so that remove and logs need not search for it */
    private final Map<String, String> appNamespaces = new ConcurrentHashMap<>();

    @Inject
    KubernetesRuntime(KubernetesClient client, Tenancy tenancy, Vertx vertx) {
        this(client, tenancy, vertx, RECHECK);
    }

    KubernetesRuntime(KubernetesClient client, Tenancy tenancy, Vertx vertx, Duration recheck) {
        this.client = client;
        this.tenancy = tenancy;
        this.vertx = vertx;
        this.recheck = recheck;
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
            String namespace = tenancy.namespaceOf(desired.team());
            apply(desired, namespace);
            return PodStates.observe(desired.replicas(), desired.template(), pods(namespace, desired.app()));
        });
    }

    @Override
    public Uni<List<RuntimeInstance>> instances(String app) {
        return blocking(() -> appPods(app).stream().map(PodStates::instance)
                .sorted(Comparator.comparing(RuntimeInstance::id)).toList());
    }

    @Override
    public Uni<Void> remove(String app, int drainSeconds, int gracePeriodSeconds) {
        return blocking(() -> {
            for (String namespace : namespacesOf(app)) {
                client.apps().deployments().inNamespace(namespace).withName(app).delete();
                client.services().inNamespace(namespace).withName(app).delete();
                client.secrets().inNamespace(namespace).withLabel(KubernetesManifests.APP_LABEL, app).delete();
                // the garbage collector would delete them too; saying so makes the grace period ours
                client.pods().inNamespace(namespace).withLabel(KubernetesManifests.APP_LABEL, app)
                        .withGracePeriod((long) drainSeconds + gracePeriodSeconds).delete();
                String secretPrefix = SECRET_KEY + namespace + "/" + app + "-v";
                present.keySet().removeIf(k -> k.startsWith(secretPrefix));
            }
            // a team's namespace stays, with its policy: deleting namespaces is a power Berth does not hold
            appNamespaces.remove(app);
            return null;
        });
    }

    @Override
    public Uni<String> recentLogs(String instanceId, int lines) {
        return blocking(() -> {
            try {
                String namespace = namespaceOfPod(instanceId);
                if (namespace == null) {
                    return "";
                }
                String log = client.pods().inNamespace(namespace).withName(instanceId).tailingLines(lines).getLog();
                return log == null ? "" : log;
            } catch (KubernetesClientException e) {
                return "";
            }
        });
    }

    /**
     * The one place that writes, in an order that never runs a pod outside its isolation: the
     * namespace and its NetworkPolicy, then the app's objects. Each is created when missing and
     * replaced only when its rendering changed.
     */
    private void apply(DesiredApp desired, String namespace) {
        try {
            ensureNamespace(namespace, desired.team());
            appNamespaces.put(desired.app(), namespace);
            Secret secret = KubernetesManifests.secret(desired, namespace);
            if (secret != null) {
                ensureSecret(namespace, secret);
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
        } catch (KubernetesClientException e) {
            // the namespace may have gone (deleted by hand): look at it again on the next reconcile
            present.remove(NAMESPACE_KEY + namespace);
            throw e;
        }
    }

    /**
     * With a namespace per team, the team's namespace, made when missing. One of that name that Berth
     * did not make for this team is left alone and the app is not deployed: Berth may create
     * namespaces, and must not take over one that belongs to someone else. Then, in every mode, the
     * namespace's NetworkPolicy.
     */
    private void ensureNamespace(String namespace, String team) {
        if (recent(NAMESPACE_KEY + namespace)) {
            return;
        }
        if (tenancy.namespacePerTeam()) {
            Namespace current = client.namespaces().withName(namespace).get();
            if (current == null) {
                client.namespaces().resource(KubernetesManifests.teamNamespace(namespace, team)).create();
            } else if (!KubernetesManifests.isTeamNamespace(current, team)) {
                throw new IllegalStateException("namespace " + namespace + " exists but is not Berth's namespace of team "
                        + team + " (labels " + KubernetesManifests.MANAGED_BY_LABEL + "=" + KubernetesManifests.MANAGED_BY
                        + ", " + KubernetesManifests.TEAM_LABEL + "=" + team + "): not deploying into it");
            }
        }
        NetworkPolicy wanted = KubernetesManifests.networkPolicy(namespace, tenancy);
        var policies = client.network().v1().networkPolicies().inNamespace(namespace);
        NetworkPolicy current = policies.withName(KubernetesManifests.NETWORK_POLICY).get();
        if (current == null) {
            policies.resource(wanted).create();
        } else if (!Objects.equals(hash(current), hash(wanted))) {
            wanted.getMetadata().setResourceVersion(current.getMetadata().getResourceVersion());
            policies.resource(wanted).update();
        }
        present.put(NAMESPACE_KEY + namespace, System.nanoTime());
    }

    /**
     * The release's Secret is immutable: it is created, and "already exists" means it is there. Never
     * reading it back is what lets Berth do without the right to read Secrets at all.
     */
    private void ensureSecret(String namespace, Secret secret) {
        String key = SECRET_KEY + namespace + "/" + secret.getMetadata().getName();
        if (recent(key)) {
            return;
        }
        try {
            client.secrets().inNamespace(namespace).resource(secret).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw e;
            }
        }
        present.put(key, System.nanoTime());
    }

    private boolean recent(String key) {
        Long at = present.get(key);
        return at != null && System.nanoTime() - at < recheck.toNanos();
    }

    private List<Pod> pods(String namespace, String app) {
        return client.pods().inNamespace(namespace).withLabel(KubernetesManifests.APP_LABEL, app).list().getItems();
    }

    /** With a namespace per team, wherever they are: the app's team is not known here, and an app may have moved. */
    private List<Pod> appPods(String app) {
        if (!tenancy.namespacePerTeam()) {
            return pods(tenancy.sharedNamespace(), app);
        }
        return client.pods().inAnyNamespace().withLabel(KubernetesManifests.APP_LABEL, app).list().getItems();
    }

    /** Every namespace the app has objects in: where it was reconciled, and where its Service is. */
    private Set<String> namespacesOf(String app) {
        Set<String> namespaces = new TreeSet<>();
        if (!tenancy.namespacePerTeam()) {
            namespaces.add(tenancy.sharedNamespace());
            return namespaces;
        }
        String known = appNamespaces.get(app);
        if (known != null) {
            namespaces.add(known);
        }
        // after a restart, or from before namespaces per team: the Service is made before the Deployment
        client.services().inAnyNamespace()
                .withLabels(Map.of(KubernetesManifests.APP_LABEL, app,
                        KubernetesManifests.MANAGED_BY_LABEL, KubernetesManifests.MANAGED_BY))
                .list().getItems().forEach(s -> namespaces.add(s.getMetadata().getNamespace()));
        return namespaces;
    }

    private String namespaceOfPod(String pod) {
        if (!tenancy.namespacePerTeam()) {
            return tenancy.sharedNamespace();
        }
        return client.pods().inAnyNamespace().withField("metadata.name", pod).list().getItems().stream()
                .filter(p -> p.getMetadata().getLabels() != null
                        && p.getMetadata().getLabels().containsKey(KubernetesManifests.APP_LABEL))
                .map(p -> p.getMetadata().getNamespace()).findFirst().orElse(null);
    }

    private static String hash(HasMetadata object) {
        var annotations = object.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(KubernetesManifests.SPEC_HASH_ANNOTATION);
    }

    private <T> Uni<T> blocking(Supplier<T> call) {
        return vertx.executeBlocking(Uni.createFrom().item(call), false);
    }
}

package io.berth.deploy.runtime.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The fabric8 client, configured as kubectl is (in-cluster service account, or KUBECONFIG /
 * ~/.kube/config), unless {@code berth.kubernetes.master-url} names the API server; and the
 * {@link Tenancy} settings. Only built when the Kubernetes runtime is selected: nothing asks for
 * them otherwise.
 */
@ApplicationScoped
public class KubernetesClientProducer {

    @Produces
    @Singleton
    KubernetesClient client(@ConfigProperty(name = "berth.kubernetes.master-url") Optional<String> masterUrl,
            @ConfigProperty(name = "berth.kubernetes.namespace") String namespace) {
        Config config = masterUrl
                .map(url -> new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace(namespace).build())
                .orElseGet(() -> new ConfigBuilder(Config.autoConfigure(null)).withNamespace(namespace).build());
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * The defaults are the chart's own install (release {@code berth} in namespace {@code berth}); the
     * chart sets every one of these from its values.
     */
    @Produces
    @Singleton
    Tenancy tenancy(@ConfigProperty(name = "berth.kubernetes.namespace") String namespace,
            @ConfigProperty(name = "berth.kubernetes.namespace-per-team", defaultValue = "false") boolean namespacePerTeam,
            @ConfigProperty(name = "berth.kubernetes.team-namespace-prefix", defaultValue = "berth-") String prefix,
            @ConfigProperty(name = "berth.kubernetes.gateway.namespace", defaultValue = "berth") String gatewayNamespace,
            @ConfigProperty(name = "berth.kubernetes.gateway.pod-labels", defaultValue = "app.kubernetes.io/name=berth,app.kubernetes.io/instance=berth,app.kubernetes.io/component=gateway") String gatewayPods,
            @ConfigProperty(name = "berth.kubernetes.gateway.port", defaultValue = "8000") int gatewayPort,
            @ConfigProperty(name = "berth.kubernetes.egress-except") Optional<List<String>> egressExcept) {
        return new Tenancy(namespace, namespacePerTeam, prefix, gatewayNamespace, Tenancy.parseLabels(gatewayPods),
                gatewayPort, Tenancy.cidrs(egressExcept.orElse(List.of())));
    }

    void close(@Disposes KubernetesClient client) {
        client.close();
    }
}

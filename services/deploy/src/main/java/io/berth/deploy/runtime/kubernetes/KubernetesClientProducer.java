package io.berth.deploy.runtime.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The fabric8 client, configured as kubectl is (in-cluster service account, or KUBECONFIG /
 * ~/.kube/config), unless {@code berth.kubernetes.master-url} names the API server. Only built
 * when the Kubernetes runtime is selected: nothing asks for it otherwise.
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

    void close(@Disposes KubernetesClient client) {
        client.close();
    }
}

package io.berth.registrar;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.registrar.consul.ConsulRegistry;
import io.berth.registrar.dns.DnsLayout;
import io.berth.registrar.dns.DnsRegistry;
import io.berth.registrar.dns.DnsZone;
import io.berth.registrar.registry.RegistryBackend;
import io.berth.registrar.runtime.AgentInstanceSource;
import io.berth.registrar.runtime.InstanceSource;
import io.berth.registrar.runtime.KubernetesPodSource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.ConsulClientOptions;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Builds the registrar from configuration: the instance source, the enabled backends, and the
 * periodic reconcile; starts watching when the application starts.
 */
@Singleton
public class RegistrarWiring {
    private static final Logger LOG = Logger.getLogger(RegistrarWiring.class);

    private final Registrar registrar;
    private final InstanceSource source;
    private final Duration reconcileInterval;
    private final ConsulClient consul;
    private KubernetesClient kubernetes;

    RegistrarWiring(
            @ConfigProperty(name = "berth.registrar.source") String sourceKind,
            @ConfigProperty(name = "berth.agent.url") URI agentUrl,
            @ConfigProperty(name = "berth.auth.service-token") Optional<String> serviceToken,
            @ConfigProperty(name = "berth.kubernetes.master-url") Optional<String> kubernetesMaster,
            @ConfigProperty(name = "berth.kubernetes.namespace") String namespace,
            @ConfigProperty(name = "berth.registrar.owner") String owner,
            @ConfigProperty(name = "berth.registrar.reconcile-interval") Duration reconcileInterval,
            @ConfigProperty(name = "berth.dns.ttl") long ttl,
            @ConfigProperty(name = "berth.registrar.dns.enabled") boolean dnsEnabled,
            @ConfigProperty(name = "berth.registrar.consul.enabled") boolean consulEnabled,
            @ConfigProperty(name = "berth.registrar.consul.host") String consulHost,
            @ConfigProperty(name = "berth.registrar.consul.port") int consulPort,
            @ConfigProperty(name = "berth.registrar.consul.acl-token") Optional<String> consulToken,
            @ConfigProperty(name = "berth.registrar.consul.check-interval") Duration consulCheckInterval,
            @ConfigProperty(name = "berth.registrar.consul.timeout") Duration consulTimeout,
            DnsZone dns, Vertx vertx, ObjectMapper json, RegistrationEvents events, RegistrarMetrics metrics) {
        this.source = switch (sourceKind) {
            case "agent" -> new AgentInstanceSource(agentUrl, serviceToken, json);
            case "kubernetes" -> {
                Config config = kubernetesMaster
                        .map(url -> new ConfigBuilder(Config.empty()).withMasterUrl(url).withNamespace(namespace).build())
                        .orElseGet(() -> new ConfigBuilder(Config.autoConfigure(null)).withNamespace(namespace).build());
                this.kubernetes = new KubernetesClientBuilder().withConfig(config).build();
                yield new KubernetesPodSource(kubernetes, namespace);
            }
            default -> throw new IllegalArgumentException("berth.registrar.source must be 'agent' or 'kubernetes', not '"
                    + sourceKind + "'");
        };
        this.reconcileInterval = reconcileInterval;
        List<RegistryBackend> backends = new ArrayList<>();
        if (dnsEnabled) {
            backends.add(new DnsRegistry(dns, new DnsLayout(dns.zone(), owner, ttl)));
        }
        if (consulEnabled) {
            ConsulClientOptions options = new ConsulClientOptions().setHost(consulHost).setPort(consulPort)
                    .setTimeout(consulTimeout.toMillis());
            consulToken.filter(t -> !t.isBlank()).ifPresent(options::setAclToken);
            this.consul = ConsulClient.create(vertx, options);
            backends.add(new ConsulRegistry(consul, consulCheckInterval, consulTimeout));
        } else {
            this.consul = null;
        }
        if (backends.isEmpty()) {
            throw new IllegalArgumentException("no registry backend enabled: set berth.registrar.dns.enabled or "
                    + "berth.registrar.consul.enabled");
        }
        this.registrar = new Registrar(backends, events, metrics);
        LOG.infof("registrar: instances from %s at %s, backends %s, reconcile every %s", sourceKind,
                "kubernetes".equals(sourceKind) ? "namespace " + namespace : agentUrl,
                registrar.backendNames(), reconcileInterval);
    }

    @Produces
    @Singleton
    Registrar registrar() {
        return registrar;
    }

    void start(@Observes StartupEvent start) {
        source.start(registrar);
        registrar.every(reconcileInterval, source::resync);
    }

    void stop(@Observes ShutdownEvent stop) {
        source.stop();
        registrar.shutdown();
        if (consul != null) {
            consul.close();
        }
        if (kubernetes != null) {
            kubernetes.close();
        }
    }
}

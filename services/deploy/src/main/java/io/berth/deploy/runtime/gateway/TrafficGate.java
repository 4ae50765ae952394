package io.berth.deploy.runtime.gateway;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Which of an app's instances take traffic through the gateway (registered and UP in HAProxy).
 * A rolling update counts a new instance as available only then, so an old one is retired only
 * once its replacement really serves, not merely passes its own health check. With
 * {@code berth.deploy.traffic-gate=none} (no gateway, as in the deploy service's own tests)
 * Ready is enough. When the gateway cannot answer, the step fails and nothing is stopped.
 */
@ApplicationScoped
public class TrafficGate {
    public static final String GATEWAY = "gateway";

    private final GatewayClient gateway;
    private final boolean enabled;

    TrafficGate(@RestClient GatewayClient gateway, @ConfigProperty(name = "berth.deploy.traffic-gate") String gate) {
        this.gateway = gateway;
        this.enabled = GATEWAY.equals(gate);
        if (!enabled && !"none".equals(gate)) {
            throw new IllegalStateException("berth.deploy.traffic-gate (BERTH_DEPLOY_TRAFFIC_GATE) is '" + gate
                    + "': it must be 'gateway' or 'none'");
        }
    }

    /** The instances serving through the gateway, or null when no gate applies. */
    public Uni<Set<String>> serving(String app) {
        if (!enabled) {
            return Uni.createFrom().nullItem();
        }
        return gateway.routes(app).map(routes -> routes.stream()
                .filter(route -> app.equals(route.app()))
                .flatMap(route -> route.servers().stream())
                .filter(server -> server.registered() && server.state() != null && server.state().startsWith("UP"))
                .map(GatewayClient.Server::instance)
                .collect(Collectors.toSet()));
    }
}

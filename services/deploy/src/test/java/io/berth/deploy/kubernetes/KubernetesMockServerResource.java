package io.berth.deploy.kubernetes;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * fabric8's mock API server in CRUD mode (it stores and serves objects, watches included, but no
 * controller acts on them: tests play the Deployment controller and the kubelet). No real API
 * server can be had on these machines. Its init arguments are more {@code berth.kubernetes.*}
 * settings (a namespace per team, for one).
 */
public class KubernetesMockServerResource implements QuarkusTestResourceLifecycleManager {
    static final String NAMESPACE = "berth-apps-test";
    /** where the tests say the gateway runs, and its pods' labels: what the NetworkPolicy admits */
    static final String GATEWAY_NAMESPACE = "berth-test";
    static final String GATEWAY_PODS = "app.kubernetes.io/instance=berth-test,app.kubernetes.io/component=gateway";
    private KubernetesMockServer server;
    private Map<String, String> settings = Map.of();

    @Override
    public void init(Map<String, String> initArgs) {
        settings = Map.copyOf(initArgs);
    }

    @Override
    public Map<String, String> start() {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        Map<String, String> config = new HashMap<>(Map.of("berth.deploy.runtime", "kubernetes",
                "berth.kubernetes.master-url", server.url("/"),
                "berth.kubernetes.namespace", NAMESPACE,
                "berth.kubernetes.gateway.namespace", GATEWAY_NAMESPACE,
                "berth.kubernetes.gateway.pod-labels", GATEWAY_PODS,
                "berth.kubernetes.egress-except", "10.42.0.0/16,10.96.0.0/12"));
        config.putAll(settings);
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
        }
    }
}

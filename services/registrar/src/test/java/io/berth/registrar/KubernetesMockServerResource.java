package io.berth.registrar;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.MockWebServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * fabric8's mock API server in CRUD mode as the registrar's runtime: it stores and serves pods,
 * watches included, and the test plays the kubelet. No real API server can be had here.
 */
public class KubernetesMockServerResource implements QuarkusTestResourceLifecycleManager {
    static final String NAMESPACE = "berth-apps-test";
    private KubernetesMockServer server;

    @Override
    public Map<String, String> start() {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return Map.of("berth.registrar.source", "kubernetes",
                "berth.kubernetes.master-url", server.url("/"),
                "berth.kubernetes.namespace", NAMESPACE);
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
        }
    }
}

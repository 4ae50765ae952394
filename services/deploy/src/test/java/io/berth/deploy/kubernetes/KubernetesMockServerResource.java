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
 * server can be had on these machines.
 */
public class KubernetesMockServerResource implements QuarkusTestResourceLifecycleManager {
    static final String NAMESPACE = "berth-apps-test";
    private KubernetesMockServer server;

    @Override
    public Map<String, String> start() {
        server = new KubernetesMockServer(new io.fabric8.mockwebserver.Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        return Map.of("berth.deploy.runtime", "kubernetes",
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

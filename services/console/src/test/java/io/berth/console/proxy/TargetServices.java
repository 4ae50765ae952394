package io.berth.console.proxy;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.util.Map;

/**
 * Points deploy and log-indexer at one {@link TargetService} and the autoscaler at another, so a
 * test can tell which service a path went to; every other service stays on the closed port of the
 * test profile (unreachable).
 */
public class TargetServices implements QuarkusTestResourceLifecycleManager {
    private TargetService deploy;
    private TargetService autoscaler;

    @Override
    public Map<String, String> start() {
        try {
            deploy = TargetService.start("deploy");
            autoscaler = TargetService.start("autoscaler");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the target services", e);
        }
        return Map.of(
                "berth.console.services.deploy", deploy.url(),
                "berth.console.services.log-indexer", deploy.url(),
                "berth.console.services.autoscaler", autoscaler.url());
    }

    @Override
    public void stop() {
        if (deploy != null) {
            deploy.stop();
        }
        if (autoscaler != null) {
            autoscaler.stop();
        }
    }
}

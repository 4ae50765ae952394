package io.berth.gateway.registry;

import io.berth.gateway.haproxy.ActualPools;
import io.berth.gateway.haproxy.HaproxyNames;
import io.berth.gateway.haproxy.HaproxyRuntimeApi;
import io.berth.gateway.reconcile.GatewayReconciler;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The level trigger: reads the whole registry back every {@code berth.gateway.reconcile-interval}
 * (and once at start) and makes it the desired state, so a missed or lost event heals.
 */
@ApplicationScoped
public class RegistryPoller {
    private static final Logger LOG = Logger.getLogger(RegistryPoller.class);

    private final RegistryReader reader;
    private final RegistryView view;
    private final GatewayReconciler reconciler;
    private final HaproxyRuntimeApi runtime;
    private volatile String lastFailure;

    RegistryPoller(@Named("selected") RegistryReader reader, RegistryView view, GatewayReconciler reconciler,
            HaproxyRuntimeApi runtime) {
        this.reader = reader;
        this.view = view;
        this.reconciler = reconciler;
        this.runtime = runtime;
    }

    @Scheduled(every = "${berth.gateway.reconcile-interval}", delay = 0,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        long started = System.nanoTime();
        try {
            view.snapshot(reader.read(knownApps()), started);
            if (lastFailure != null) {
                LOG.infof("registry (%s) readable again", reader.describe());
            }
            lastFailure = null;
            reconciler.trigger();
        } catch (IOException | RuntimeException e) {
            if (lastFailure == null) {
                LOG.warnf("cannot read the registry (%s); keeping the last known state: %s", reader.describe(),
                        e.getMessage());
            }
            lastFailure = String.valueOf(e.getMessage());
        }
    }

    /** Why the last read failed, if it did. */
    public String lastFailure() {
        return lastFailure;
    }

    public String registry() {
        return reader.describe();
    }

    private Set<String> knownApps() {
        Set<String> apps = new TreeSet<>(view.apps());
        try {
            ActualPools.read(runtime).backends().forEach(b -> HaproxyNames.appOf(b).ifPresent(apps::add));
        } catch (IOException e) {
            // HAProxy down: the apps the view knows are enough for this read
        }
        return apps;
    }
}

package io.berth.gateway.reconcile;

import io.berth.gateway.GatewaySettings;
import io.berth.gateway.haproxy.ActualPools;
import io.berth.gateway.haproxy.HaproxyNames;
import io.berth.gateway.haproxy.HaproxyReloader;
import io.berth.gateway.haproxy.HaproxyRuntimeApi;
import io.berth.gateway.haproxy.ServerStatus;
import io.berth.gateway.model.AppPool;
import io.berth.gateway.model.BackendLayout;
import io.berth.gateway.model.Member;
import io.berth.gateway.registry.RegistryView;
import io.berth.gateway.render.HaproxyConfigRenderer;
import io.berth.gateway.render.RenderSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one place that changes HAProxy. A single thread moves HAProxy toward the desired state whenever
 * it is triggered (a registration event, a registry read) and on a short tick while servers drain:
 * if the desired apps need a backend HAProxy does not have, it renders and reloads first; then it
 * diffs the pools against {@code show servers state} and applies the changes through the Runtime API.
 * Level-triggered: every pass starts from what HAProxy reports, so a lost change heals on the next one
 * (a reload, which loses runtime changes, is followed at once by such a pass).
 */
@ApplicationScoped
public class GatewayReconciler {
    private static final Logger LOG = Logger.getLogger(GatewayReconciler.class);
    private static final Duration DRAIN_TICK = Duration.ofMillis(200);

    private final RegistryView view;
    private final HaproxyRuntimeApi runtime;
    private final HaproxyReloader reloader;
    private final PoolChangeApplier applier;
    private final RenderSettings renderSettings;
    private final GatewaySettings settings;

    private final Semaphore triggered = new Semaphore(0);
    private final Map<String, Instant> drainingSince = new HashMap<>();
    private volatile BackendLayout loaded;
    private volatile boolean running;
    private volatile String lastError;
    private Thread thread;

    GatewayReconciler(RegistryView view, HaproxyRuntimeApi runtime, HaproxyReloader reloader, PoolChangeApplier applier,
            RenderSettings renderSettings, GatewaySettings settings) {
        this.view = view;
        this.runtime = runtime;
        this.reloader = reloader;
        this.applier = applier;
        this.renderSettings = renderSettings;
        this.settings = settings;
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        thread = new Thread(this::loop, "gateway-reconciler");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Asks for a pass as soon as possible; many triggers before it starts make one pass. */
    public void trigger() {
        if (triggered.availablePermits() == 0) {
            triggered.release();
        }
    }

    /** The layout HAProxy was last loaded with by this controller (empty before the first pass). */
    public Optional<BackendLayout> loadedLayout() {
        return Optional.ofNullable(loaded);
    }

    /** Why the last pass failed, if it did. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    private void loop() {
        while (running) {
            boolean draining;
            try {
                draining = reconcileOnce();
                lastError = null;
            } catch (Exception e) {
                if (!String.valueOf(e.getMessage()).equals(lastError)) {
                    LOG.warnf("gateway reconcile failed (retrying): %s", e.getMessage());
                }
                lastError = String.valueOf(e.getMessage());
                draining = true; // retry soon
            }
            try {
                Duration wait = draining ? DRAIN_TICK : settings.reconcileInterval();
                if (triggered.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    triggered.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One pass. @return whether servers are still draining (so the next pass should come soon) */
    boolean reconcileOnce() throws Exception {
        Map<String, AppPool> desired = view.desired();
        boolean authoritative = view.authoritative();
        ActualPools actual = ActualPools.read(runtime);

        BackendLayout needed = BackendLayout.of(desired);
        if (loaded == null || loaded.lacksAnythingOf(needed)) {
            Map<String, AppPool> pools = authoritative ? desired : withCarryOver(desired, actual);
            BackendLayout target = loaded == null ? BackendLayout.of(pools) : loaded.merge(needed);
            if (loaded != null) {
                LOG.infof("new backend layout %s -> %s: rendering and reloading", loaded.healthPathByApp().keySet(),
                        target.healthPathByApp().keySet());
            }
            HaproxyReloader.Outcome outcome = reloader.install(HaproxyConfigRenderer.render(target, pools, renderSettings));
            loaded = target;
            if (outcome == HaproxyReloader.Outcome.RELOADED) {
                actual = ActualPools.read(runtime); // the new worker: runtime changes are gone
            }
        }

        Instant now = Instant.now();
        Set<String> unwanted = authoritative ? PoolDiff.unwanted(desired, actual.servers()) : Set.of();
        drainingSince.keySet().retainAll(unwanted);
        unwanted.forEach(key -> drainingSince.putIfAbsent(key, now));
        List<PoolChange> changes = PoolDiff.compute(desired, actual.servers(), actual.backends(), drainingSince, now,
                settings.drainTimeout(), authoritative);
        applier.apply(changes);
        return !unwanted.isEmpty();
    }

    /**
     * Before the registry has been read once, the apps HAProxy already serves are kept as they are,
     * so that the first render of a restarted controller does not empty their backends.
     */
    private static Map<String, AppPool> withCarryOver(Map<String, AppPool> desired, ActualPools actual) {
        Map<String, AppPool> pools = new TreeMap<>(desired);
        actual.servers().forEach((backend, servers) -> HaproxyNames.appOf(backend).ifPresent(app -> {
            if (pools.containsKey(app)) {
                return;
            }
            Map<String, Member> members = new TreeMap<>();
            for (ServerStatus s : servers.values()) {
                if (!s.inMaintenance() && !s.draining()) {
                    members.put(s.name(), new Member(s.name(), 0, s.address(), Math.max(1, s.port()), s.weight()));
                }
            }
            pools.put(app, new AppPool(app, Optional.empty(), members));
        }));
        return pools;
    }
}

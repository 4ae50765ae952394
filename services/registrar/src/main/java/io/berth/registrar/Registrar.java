package io.berth.registrar;

import io.berth.events.registration.InstanceDeregistered;
import io.berth.events.registration.InstanceRegistered;
import io.berth.registrar.consistency.Consistency;
import io.berth.registrar.consistency.ConsistencyReport;
import io.berth.registrar.consistency.Observed;
import io.berth.registrar.registry.DesiredRegistrations;
import io.berth.registrar.registry.EntryDiff;
import io.berth.registrar.registry.Registration;
import io.berth.registrar.registry.RegistryBackend;
import io.berth.registrar.registry.RegistryEntry;
import io.berth.registrar.registry.RegistryException;
import io.berth.registrar.runtime.InstanceSource;
import io.berth.registrar.runtime.InstanceTable;
import io.berth.registrar.runtime.RuntimeInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The one place that changes the registry. Runtime changes, snapshots and the periodic reconcile
 * all end in {@link #sync}, which computes the app's desired registrations (a pure function of the
 * runtime's instances), diffs them against what each backend holds, writes the difference, and
 * then announces what changed on Kafka. Everything runs on one thread, in arrival order, so two
 * changes of one app never race in a backend.
 *
 * <p>Between reconciles a backend's content is taken from what this registrar last wrote or read
 * (a change costs one write, no reads); every reconcile reads each backend back, which is how a
 * record deleted by hand, or a write lost in a crash, is found and repaired.
 */
public final class Registrar implements InstanceSource.Listener {
    private static final Logger LOG = Logger.getLogger(Registrar.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final List<RegistryBackend> backends;
    private final RegistrationEvents events;
    private final RegistrarMetrics metrics;
    private final InstanceTable table = new InstanceTable();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registrar");
        t.setDaemon(true);
        return t;
    });
    /** backend name → app → the entries the backend holds (as last written or read) */
    private final Map<String, Map<String, Set<RegistryEntry>>> held = new ConcurrentHashMap<>();
    /** app → instance → the registration last announced on Kafka */
    private final Map<String, Map<String, Registration>> announced = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Set<String> retrying = ConcurrentHashMap.newKeySet();
    private final Queue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile Map<String, ConsistencyReport> reports = Map.of();
    private volatile Instant lastReconcile;

    public Registrar(List<RegistryBackend> backends, RegistrationEvents events, RegistrarMetrics metrics) {
        this.backends = List.copyOf(backends);
        this.events = events;
        this.metrics = metrics;
        this.backends.forEach(b -> held.put(b.name(), new ConcurrentHashMap<>()));
    }

    // --- what the runtime says (called from the source's thread) --------------------------------

    @Override
    public void snapshot(List<RuntimeInstance> instances) {
        enqueue(() -> {
            boolean first = !table.synced();
            Set<String> touched = table.replace(instances);
            if (first) {
                reconcile();
                return Set.of();
            }
            return touched;
        });
    }

    @Override
    public void changed(RuntimeInstance instance) {
        LOG.debugf("runtime: %s %s v%d", instance.id(), instance.state(), instance.version());
        enqueue(() -> table.put(instance) ? Set.of(instance.app()) : Set.of());
    }

    @Override
    public void removed(RuntimeInstance last) {
        LOG.debugf("runtime: %s removed v%d", last.id(), last.version());
        enqueue(() -> table.remove(last) ? Set.of(last.app()) : Set.of());
    }

    /** A change of the table, and when it arrived. */
    private record Pending(long receivedNanos, Supplier<Set<String>> apply) {
    }

    /**
     * Changes queue up while the registrar's thread is busy (a write, a reconcile); it then takes
     * them all and syncs each touched app once, so a burst (a scale to 50) costs one write per app,
     * not one per change.
     */
    private void enqueue(Supplier<Set<String>> change) {
        pending.add(new Pending(System.nanoTime(), change));
        if (drainScheduled.compareAndSet(false, true)) {
            worker.execute(this::drain);
        }
    }

    private void drain() {
        drainScheduled.set(false);
        Map<String, Long> dirty = new LinkedHashMap<>();
        Pending next;
        while ((next = pending.poll()) != null) {
            long received = next.receivedNanos();
            next.apply().get().forEach(app -> dirty.putIfAbsent(app, received));
        }
        if (!table.synced()) {
            return; // a partial table (changes before the first full list) would deregister the rest
        }
        dirty.forEach((app, received) -> sync(app, false, received));
    }

    // --- reconcile -------------------------------------------------------------------------------

    /** Runs a full reconcile on the registrar's thread (after anything already queued). */
    public void reconcileSoon() {
        worker.execute(this::reconcile);
    }

    public void every(Duration interval, Runnable beforeEach) {
        worker.scheduleWithFixedDelay(() -> {
            beforeEach.run();
            reconcile();
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Every app the runtime, this registrar or any backend knows: each backend is read back and
     * made equal to the desired state. Skipped until the runtime's first snapshot, so an empty
     * table is never taken for "no instances" and the registry never emptied by a start.
     */
    private void reconcile() {
        if (!table.synced()) {
            return;
        }
        try {
            Set<String> apps = new TreeSet<>(table.apps());
            apps.addAll(announced.keySet());
            held.values().forEach(byApp -> apps.addAll(byApp.keySet()));
            for (RegistryBackend backend : backends) {
                try {
                    apps.addAll(backend.apps());
                } catch (RegistryException e) {
                    LOG.warnf("reconcile: %s", e.getMessage());
                }
            }
            Map<String, ConsistencyReport> found = new TreeMap<>();
            for (String app : apps) {
                found.put(app, sync(app, true, 0));
            }
            reports = Map.copyOf(found);
            lastReconcile = Instant.now();
            metrics.reports(found.values());
        } catch (RuntimeException e) {
            LOG.errorf(e, "reconcile failed; the next one tries again");
        }
    }

    /**
     * Makes every backend hold exactly the app's desired registrations, then announces the
     * difference to what was announced before. With {@code readBack}, each backend is read first
     * (a reconcile), and the returned report says what was found before it was repaired.
     */
    private ConsistencyReport sync(String app, boolean readBack, long receivedNanos) {
        List<RuntimeInstance> instances = table.ofApp(app);
        List<Registration> desired = DesiredRegistrations.forApp(app, instances);
        Set<String> known = knownInstances(app, instances);
        Map<String, Observed> observed = new LinkedHashMap<>();
        Set<String> removed = new HashSet<>();
        boolean allWritten = true;
        boolean wrote = false;
        for (RegistryBackend backend : backends) {
            Map<String, Set<RegistryEntry>> heldByApp = held.get(backend.name());
            Set<RegistryEntry> want = backend.entriesOf(app, desired);
            try {
                Set<RegistryEntry> have = readBack || !heldByApp.containsKey(app) ? backend.read(app, known)
                        : heldByApp.get(app);
                observed.put(backend.name(), new Observed(want, have, null));
                EntryDiff diff = EntryDiff.between(want, have);
                if (!diff.isEmpty()) {
                    long t0 = System.nanoTime();
                    backend.write(app, desired, diff);
                    LOG.debugf("%s write of %s took %d us", backend.name(), app, (System.nanoTime() - t0) / 1000);
                    wrote = true;
                    diff.remove().stream().map(RegistryEntry::instance).filter(Objects::nonNull).forEach(removed::add);
                    if (readBack) {
                        LOG.infof("reconcile repaired %s of %s: +%s -%s", backend.name(), app, diff.add(), diff.remove());
                        metrics.repaired();
                    }
                }
                if (want.isEmpty()) {
                    heldByApp.remove(app);
                } else {
                    heldByApp.put(app, want);
                }
            } catch (RegistryException e) {
                allWritten = false;
                heldByApp.remove(app); // unknown now: the retry reads it back
                observed.put(backend.name(), Observed.unreadable(want, e.getMessage()));
                if (failing.add(backend.name() + "/" + app)) {
                    LOG.warnf("%s; retrying every %d s", e.getMessage(), RETRY.toSeconds());
                }
                retryLater(app);
            }
        }
        if (allWritten) {
            failing.removeIf(key -> key.endsWith("/" + app));
            if (announce(app, desired, removed) && receivedNanos > 0) {
                metrics.propagated(Duration.ofNanos(System.nanoTime() - receivedNanos));
            }
        }
        if (wrote && !readBack) {
            LOG.debugf("registry of %s now %s", app, desired);
        }
        ConsistencyReport found = Consistency.report(app, Instant.now(), instances, desired, observed);
        // the mismatches are what was found; what is registered is what holds after the repair
        return allWritten ? found.withRegistered(desired.size()) : found;
    }

    /** Publishes what changed since the last announcement; true if anything was published. */
    private boolean announce(String app, List<Registration> desired, Set<String> removed) {
        Map<String, Registration> before = announced.getOrDefault(app, Map.of());
        Map<String, Registration> after = desired.stream()
                .collect(Collectors.toMap(Registration::instance, Function.identity()));
        boolean published = false;
        for (Registration r : desired) {
            if (!r.equals(before.get(r.instance()))) {
                events.publish(new InstanceRegistered(app, r.instance(), r.release(), r.host(), r.port(), r.weight()));
                metrics.registered();
                published = true;
            }
        }
        Set<String> gone = new TreeSet<>(before.keySet());
        gone.addAll(removed);
        gone.removeAll(after.keySet());
        for (String instance : gone) {
            events.publish(new InstanceDeregistered(app, instance, reason(instance)));
            metrics.deregistered();
            published = true;
        }
        if (after.isEmpty()) {
            announced.remove(app);
        } else {
            announced.put(app, Map.copyOf(after));
        }
        return published;
    }

    private String reason(String instance) {
        return table.get(instance)
                .map(i -> i.state().name() + (i.reason() == null || i.reason().isBlank() ? "" : ": " + i.reason()))
                .orElse("gone from the runtime");
    }

    private Set<String> knownInstances(String app, List<RuntimeInstance> instances) {
        Set<String> known = new TreeSet<>();
        instances.forEach(i -> known.add(i.id()));
        known.addAll(announced.getOrDefault(app, Map.of()).keySet());
        held.values().forEach(byApp -> byApp.getOrDefault(app, Set.of()).stream()
                .map(RegistryEntry::instance).filter(Objects::nonNull).forEach(known::add));
        return known;
    }

    private void retryLater(String app) {
        if (retrying.add(app)) {
            worker.schedule(() -> {
                retrying.remove(app);
                sync(app, true, 0);
            }, RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public void shutdown() {
        worker.shutdownNow();
    }

    // --- read side, for the API (any thread) -----------------------------------------------------

    public boolean synced() {
        return table.synced();
    }

    public Optional<Instant> lastReconcile() {
        return Optional.ofNullable(lastReconcile);
    }

    public Set<String> apps() {
        Set<String> apps = new TreeSet<>(table.apps());
        apps.addAll(announced.keySet());
        return apps;
    }

    public List<RuntimeInstance> instances(String app) {
        return table.ofApp(app);
    }

    /** The registrations of {@code app} as last announced: what the registry holds, by instance. */
    public Map<String, Registration> registered(String app) {
        return announced.getOrDefault(app, Map.of());
    }

    /** Per backend: whether it holds everything {@code registration} needs, as the registrar last wrote or read it. */
    public Map<String, Boolean> heldBy(Registration registration) {
        Map<String, Boolean> result = new LinkedHashMap<>();
        for (RegistryBackend backend : backends) {
            Set<RegistryEntry> have = held.get(backend.name()).getOrDefault(registration.app(), Set.of());
            result.put(backend.name(), have.containsAll(backend.entriesOf(registration.app(), List.of(registration))));
        }
        return result;
    }

    /** The consistency of {@code app} now: every backend read live. */
    public ConsistencyReport check(String app) {
        List<RuntimeInstance> instances = table.ofApp(app);
        List<Registration> desired = DesiredRegistrations.forApp(app, instances);
        Set<String> known = knownInstances(app, instances);
        Map<String, Observed> observed = new LinkedHashMap<>();
        for (RegistryBackend backend : backends) {
            Set<RegistryEntry> want = backend.entriesOf(app, desired);
            try {
                observed.put(backend.name(), new Observed(want, backend.read(app, known), null));
            } catch (RegistryException e) {
                observed.put(backend.name(), Observed.unreadable(want, e.getMessage()));
            }
        }
        return Consistency.report(app, Instant.now(), instances, desired, observed);
    }

    /** What the last reconcile found, per app (before it repaired anything). */
    public Map<String, ConsistencyReport> lastReports() {
        return reports;
    }

    public List<String> backendNames() {
        return backends.stream().map(RegistryBackend::name).toList();
    }

}

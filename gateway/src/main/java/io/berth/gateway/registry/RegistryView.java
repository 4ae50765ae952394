package io.berth.gateway.registry;

import io.berth.events.registration.InstanceDeregistered;
import io.berth.events.registration.InstanceRegistered;
import io.berth.gateway.model.AppPool;
import io.berth.gateway.model.Member;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The desired state: which instances each app's backend should have. Registration events change it
 * at once (edge); registry snapshots replace it (level). An event newer than the start of a snapshot
 * read wins over that snapshot, so a read that was already under way cannot undo a registration it
 * had not seen yet. Applying the same event twice changes nothing.
 */
@ApplicationScoped
public class RegistryView {
    private static final Logger LOG = Logger.getLogger(RegistryView.class);

    private final Optional<String> defaultHealthPath;
    private final Map<String, Map<String, Member>> members = new TreeMap<>();
    private final Map<String, Optional<String>> healthPaths = new HashMap<>();
    /** app/instance -> System.nanoTime() of the last event about it, until a later snapshot covers it. */
    private final Map<String, Long> eventAt = new HashMap<>();
    private boolean authoritative;

    RegistryView(@ConfigProperty(name = "berth.gateway.default-health-path") Optional<String> defaultHealthPath) {
        this.defaultHealthPath = defaultHealthPath;
    }

    /** @return whether the desired state changed */
    public synchronized boolean registered(InstanceRegistered event) {
        Optional<String> ip = Addresses.ip(event.host());
        if (ip.isEmpty()) {
            LOG.warnf("instance %s of %s: host %s does not resolve; not routed", event.instance(), event.app(),
                    event.host());
            return false;
        }
        eventAt.put(event.app() + "/" + event.instance(), System.nanoTime());
        Member member = new Member(event.instance(), event.release(), ip.get(), event.port(), event.weight());
        Member before = members.computeIfAbsent(event.app(), a -> new TreeMap<>()).put(event.instance(), member);
        return !member.equals(before);
    }

    /** @return whether the desired state changed */
    public synchronized boolean deregistered(InstanceDeregistered event) {
        eventAt.put(event.app() + "/" + event.instance(), System.nanoTime());
        Map<String, Member> app = members.get(event.app());
        return app != null && app.remove(event.instance()) != null;
    }

    /**
     * Replaces the desired state with a registry read that started at {@code startedNanos}, except for
     * instances an event has touched since.
     */
    public synchronized void snapshot(Map<String, AppPool> registry, long startedNanos) {
        Set<String> apps = new TreeSet<>(members.keySet());
        apps.addAll(registry.keySet());
        for (String app : apps) {
            AppPool read = registry.get(app);
            Map<String, Member> now = members.computeIfAbsent(app, a -> new TreeMap<>());
            Map<String, Member> next = new TreeMap<>();
            if (read != null) {
                read.members().values().forEach(m -> Addresses.ip(m.host()).ifPresent(ip -> next.put(m.instance(),
                        new Member(m.instance(), m.release(), ip, m.port(), m.weight()))));
                read.healthPath().ifPresent(p -> healthPaths.put(app, Optional.of(p)));
            }
            // what events said after the read began stands
            eventAt.forEach((key, at) -> {
                if (at - startedNanos > 0 && key.startsWith(app + "/")) {
                    String instance = key.substring(app.length() + 1);
                    Member fromEvent = now.get(instance);
                    if (fromEvent != null) {
                        next.put(instance, fromEvent);
                    } else {
                        next.remove(instance);
                    }
                }
            });
            if (!next.equals(now)) {
                LOG.debugf("registry read changes %s: %s -> %s", app, now.keySet(), next.keySet());
            }
            members.put(app, next);
        }
        eventAt.values().removeIf(at -> at - startedNanos <= 0);
        authoritative = true;
    }

    /** Whether the registry has been read at least once, so that absence from this view means "remove". */
    public synchronized boolean authoritative() {
        return authoritative;
    }

    public synchronized Set<String> apps() {
        return new TreeSet<>(members.keySet());
    }

    /** The desired pools, one per app the view knows (an app may have no instance left). */
    public synchronized Map<String, AppPool> desired() {
        Map<String, AppPool> pools = new TreeMap<>();
        members.forEach((app, byInstance) -> pools.put(app,
                new AppPool(app, healthPaths.getOrDefault(app, defaultHealthPath), byInstance)));
        return pools;
    }
}

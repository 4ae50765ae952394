package io.berth.registrar.runtime;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The registrar's live copy of the runtime's instances (an informer cache). Written by one thread
 * (the registrar's), read by the API. A change older than what the table holds is ignored, so a
 * replayed watch cannot move an instance back in time.
 */
public final class InstanceTable {
    private final Map<String, RuntimeInstance> byId = new ConcurrentHashMap<>();
    private volatile boolean synced;

    /** Whether a full snapshot has arrived: before it, the table must not be taken as the truth. */
    public boolean synced() {
        return synced;
    }

    /**
     * Replaces everything; returns the apps whose instances changed. An instance the table already
     * has in a newer version keeps it (a snapshot taken just before a change that overtook it).
     */
    public Set<String> replace(List<RuntimeInstance> instances) {
        Map<String, RuntimeInstance> next = instances.stream()
                .collect(Collectors.toMap(RuntimeInstance::id, i -> i, (a, b) -> a.version() >= b.version() ? a : b));
        next.replaceAll((id, i) -> {
            RuntimeInstance held = byId.get(id);
            return held != null && held.version() > i.version() ? held : i;
        });
        Set<String> touched = new HashSet<>();
        for (RuntimeInstance old : byId.values()) {
            if (!old.equals(next.get(old.id()))) {
                touched.add(old.app());
            }
        }
        for (RuntimeInstance now : next.values()) {
            if (!now.equals(byId.get(now.id()))) {
                touched.add(now.app());
            }
        }
        byId.keySet().retainAll(next.keySet());
        byId.putAll(next);
        synced = true;
        return touched;
    }

    /** Adds or updates; false when the table already has this or a newer version. */
    public boolean put(RuntimeInstance instance) {
        RuntimeInstance old = byId.get(instance.id());
        if (old != null && (old.version() > instance.version() || old.equals(instance))) {
            return false;
        }
        byId.put(instance.id(), instance);
        return true;
    }

    /** Removes unless the table holds a newer version (the instance came back under the same id). */
    public boolean remove(RuntimeInstance last) {
        RuntimeInstance old = byId.get(last.id());
        if (old == null || old.version() > last.version()) {
            return false;
        }
        return byId.remove(last.id(), old);
    }

    public Optional<RuntimeInstance> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<RuntimeInstance> ofApp(String app) {
        return byId.values().stream().filter(i -> i.app().equals(app)).toList();
    }

    public Set<String> apps() {
        return byId.values().stream().map(RuntimeInstance::app).collect(Collectors.toSet());
    }

    public Collection<RuntimeInstance> all() {
        return List.copyOf(byId.values());
    }
}

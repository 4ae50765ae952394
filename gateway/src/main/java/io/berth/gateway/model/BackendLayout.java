package io.berth.gateway.model;

import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The part of HAProxy's configuration that only a reload can change: which apps have a backend and
 * how each is health-checked. Membership is not part of it (the Runtime API changes that).
 */
public record BackendLayout(SortedMap<String, Optional<String>> healthPathByApp) {

    public static BackendLayout empty() {
        return new BackendLayout(new TreeMap<>());
    }

    /** The layout the desired state needs: one backend per app that has at least one instance. */
    public static BackendLayout of(Map<String, AppPool> desired) {
        SortedMap<String, Optional<String>> apps = new TreeMap<>();
        desired.values().stream().filter(p -> !p.members().isEmpty())
                .forEach(p -> apps.put(p.app(), p.healthPath()));
        return new BackendLayout(apps);
    }

    /**
     * Whether serving {@code needed} takes a reload from this layout: an app without a backend, or
     * a backend whose health check changed. Extra backends do not: an app that lost its last instance
     * keeps an empty backend (HAProxy answers 503) until a reload happens for another reason.
     */
    public boolean lacksAnythingOf(BackendLayout needed) {
        return needed.healthPathByApp.entrySet().stream()
                .anyMatch(e -> !e.getValue().equals(healthPathByApp.get(e.getKey())));
    }

    /** This layout plus what {@code other} adds or changes (backends are kept, never dropped here). */
    public BackendLayout merge(BackendLayout other) {
        SortedMap<String, Optional<String>> merged = new TreeMap<>(healthPathByApp);
        merged.putAll(other.healthPathByApp);
        return new BackendLayout(merged);
    }
}

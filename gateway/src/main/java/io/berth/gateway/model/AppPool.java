package io.berth.gateway.model;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the registry says one app is served by: its instances (keyed by instance id) and the HTTP
 * path its health check asks (empty: a TCP connect check).
 */
public record AppPool(String app, Optional<String> healthPath, Map<String, Member> members) {
    public AppPool {
        healthPath = healthPath == null ? Optional.empty() : healthPath;
        members = Collections.unmodifiableMap(new TreeMap<>(members));
    }

    public AppPool withMembers(Map<String, Member> newMembers) {
        return new AppPool(app, healthPath, newMembers);
    }
}

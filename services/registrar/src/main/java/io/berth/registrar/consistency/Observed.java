package io.berth.registrar.consistency;

import io.berth.registrar.registry.RegistryEntry;
import java.util.Set;

/** What one backend should hold for an app and what it was found holding (or why it could not be read). */
public record Observed(Set<RegistryEntry> desired, Set<RegistryEntry> actual, String error) {

    public static Observed unreadable(Set<RegistryEntry> desired, String error) {
        return new Observed(desired, Set.of(), error);
    }

    public boolean holdsAll(String instance) {
        return error == null && desired.stream()
                .filter(e -> e.instance() == null || e.instance().equals(instance))
                .allMatch(actual::contains);
    }
}

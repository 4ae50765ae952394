package io.berth.registrar.registry;

import java.util.LinkedHashSet;
import java.util.Set;

/** What a backend must add and remove to get from {@code actual} to {@code desired}. */
public record EntryDiff(Set<RegistryEntry> add, Set<RegistryEntry> remove) {

    public static EntryDiff between(Set<RegistryEntry> desired, Set<RegistryEntry> actual) {
        Set<RegistryEntry> add = new LinkedHashSet<>(desired);
        add.removeAll(actual);
        Set<RegistryEntry> remove = new LinkedHashSet<>(actual);
        remove.removeAll(desired);
        return new EntryDiff(Set.copyOf(add), Set.copyOf(remove));
    }

    public boolean isEmpty() {
        return add.isEmpty() && remove.isEmpty();
    }
}

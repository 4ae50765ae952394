package io.berth.registrar.registry;

import java.util.List;
import java.util.Set;

/**
 * A service registry the registrar writes (DNS, Consul). A backend only translates: what
 * registrations look like in it ({@link #entriesOf}, a pure function), what it holds now
 * ({@link #read}), and how to change it ({@link #write}). Deciding what to change is the
 * registrar's, the same for every backend.
 */
public interface RegistryBackend {

    /** A short name, as the API and metrics show it ("dns", "consul"). */
    String name();

    /** What holding exactly {@code registrations} of {@code app} means in this backend. */
    Set<RegistryEntry> entriesOf(String app, List<Registration> registrations);

    /**
     * What this backend holds for {@code app} now, read from it and never from a cache.
     * {@code knownInstances} are instance ids the caller has seen for the app, for a backend that
     * cannot list an app's names by itself (DNS without zone transfer).
     */
    Set<RegistryEntry> read(String app, Set<String> knownInstances) throws RegistryException;

    /** The apps this registrar has anything registered for in this backend. */
    Set<String> apps() throws RegistryException;

    /** Applies {@code diff} (in one step where the backend allows); {@code desired} are the app's registrations. */
    void write(String app, List<Registration> desired, EntryDiff diff) throws RegistryException;
}

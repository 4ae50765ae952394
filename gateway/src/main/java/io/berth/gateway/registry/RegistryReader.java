package io.berth.gateway.registry;

import io.berth.gateway.model.AppPool;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * Reads the registry back for the periodic reconcile: every app's registered instances as the
 * registry has them now. A read that fails throws; it never returns a partial view as complete.
 */
public interface RegistryReader {

    /**
     * @param knownApps apps the gateway already knows of (from events and HAProxy); a registry that
     *        cannot list its apps (DNS without an index) reads at least these
     */
    Map<String, AppPool> read(Collection<String> knownApps) throws IOException;

    /** For logs and the API: which registry this is. */
    String describe();
}

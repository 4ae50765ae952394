package io.berth.gateway.registry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * HAProxy's dynamic servers take an IP address only (no resolution at run time), and a name that
 * fails to resolve in the configuration would fail the whole reload: hosts become addresses here,
 * before they reach the desired state.
 */
public final class Addresses {
    private Addresses() {
    }

    public static Optional<String> ip(String host) {
        try {
            return Optional.of(InetAddress.getByName(host).getHostAddress());
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
    }
}

package io.berth.gateway.haproxy;

import java.io.IOException;

/** A rendered configuration that HAProxy refused ({@code haproxy -c}) or that did not load on reload. */
public class ConfigRejectedException extends IOException {
    public ConfigRejectedException(String message) {
        super(message);
    }
}

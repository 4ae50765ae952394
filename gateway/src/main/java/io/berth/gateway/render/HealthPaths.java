package io.berth.gateway.render;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which health paths may go into HAProxy's configuration. A path is written into a config line, so
 * anything that could end or extend that line (space, '#', quotes, '$', backslash) is refused and the
 * app falls back to a TCP check rather than break the configuration of every other app.
 */
public final class HealthPaths {
    private static final Pattern SAFE = Pattern.compile("/[A-Za-z0-9._~!&()*+,;=:@/%?-]{0,200}");

    private HealthPaths() {
    }

    public static Optional<String> safe(Optional<String> path) {
        return path.map(String::trim).filter(p -> SAFE.matcher(p).matches());
    }
}

package io.berth.gateway.haproxy;

import java.util.Optional;

/**
 * How Berth names things inside HAProxy. Backends of apps carry a prefix so that the controller
 * never touches a backend it does not own (berth_no_app, stats, anything an operator added).
 */
public final class HaproxyNames {
    public static final String BACKEND_PREFIX = "app_";
    public static final String FRONTEND = "gateway";
    public static final String NO_APP_BACKEND = "berth_no_app";

    private HaproxyNames() {
    }

    public static String backend(String app) {
        return BACKEND_PREFIX + safe(app);
    }

    /** The app a backend serves, or empty for a backend that is not an app's. */
    public static Optional<String> appOf(String backend) {
        return backend.startsWith(BACKEND_PREFIX) && backend.length() > BACKEND_PREFIX.length()
                ? Optional.of(backend.substring(BACKEND_PREFIX.length()))
                : Optional.empty();
    }

    /** Instance ids are DNS labels already; anything else HAProxy would refuse becomes '_'. */
    public static String server(String instance) {
        return safe(instance);
    }

    static String safe(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9_.:-]", "_");
        return cleaned.length() > 100 ? cleaned.substring(0, 100) : cleaned;
    }
}

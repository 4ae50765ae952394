package io.berth.events;

import java.util.List;
import java.util.regex.Pattern;

/** Kafka topic names. Every event is keyed by its app, so one app's events stay ordered. */
public final class Topics {
    public static final String DEPLOYMENTS = "berth.deployments";
    public static final String INSTANCES = "berth.instances";
    public static final String REGISTRATIONS = "berth.registrations";
    public static final String METRICS = "berth.metrics";
    public static final String SCALING = "berth.scaling";
    public static final String AUDIT = "berth.audit";
    /** Compacted: token SHA-256 (hex) to {@link io.berth.events.directory.TokenEntry}. */
    public static final String IDENTITY = "berth.identity";
    /** Compacted: app to {@link io.berth.events.directory.AppOwner}. */
    public static final String APP_OWNERS = "berth.app-owners";

    /** Topics holding the latest state per key (cleanup.policy=compact), not a history. */
    public static final List<String> COMPACTED = List.of(IDENTITY, APP_OWNERS);

    /** The platform topics that exist from the start; log topics are created per app. */
    public static final List<String> PLATFORM = List.of(DEPLOYMENTS, INSTANCES, REGISTRATIONS, METRICS, SCALING, AUDIT, IDENTITY,
            APP_OWNERS);

    public static final String LOGS_PREFIX = "berth.logs.";
    public static final Pattern LOGS_PATTERN = Pattern.compile("berth\\.logs\\..+");

    private Topics() {
    }

    /** The per-app log topic, also injected into instances as BERTH_LOG_TOPIC. */
    public static String logs(String app) {
        Require.text(app, "app");
        return LOGS_PREFIX + app;
    }
}

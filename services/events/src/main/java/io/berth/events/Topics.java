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

    /** The platform topics that exist from the start; log topics are created per app. */
    public static final List<String> PLATFORM = List.of(DEPLOYMENTS, INSTANCES, REGISTRATIONS, METRICS, SCALING, AUDIT);

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

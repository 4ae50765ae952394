package io.berth.logcollector.topic;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** {@code berth.logs.*}: how per-app log topics are made and retired. */
@ConfigMapping(prefix = "berth.logs")
public interface LogTopicsConfig {

    int partitions();

    /** How long a log topic keeps records (the topic's retention.ms). */
    Duration retention();

    /** After AppDeleted the topic keeps its records this long (retention.ms is lowered to it), then is deleted. */
    Duration keepAfterDelete();

    /**
     * The apps whose AppCreated/AppDeleted this collector acts on (a regular expression). Every app
     * on a platform; tests and benchmarks that share a broker with one narrow it to their own.
     */
    java.util.regex.Pattern managedApps();
}

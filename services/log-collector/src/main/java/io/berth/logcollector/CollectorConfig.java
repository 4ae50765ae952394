package io.berth.logcollector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** {@code berth.log-collector.*}: what to tail and how to ship it (defaults in application.properties). */
@ConfigMapping(prefix = "berth.log-collector")
public interface CollectorConfig {

    /** The directory of CRI log files. */
    Path logDir();

    /** {@code agent} ({@code <app>/<instance>.log}) or {@code kubernetes} ({@code <ns>_<pod>_<uid>/<container>/<n>.log}). */
    @WithDefault("agent")
    String layout();

    /** The agent's instance directories, for each instance's spec.json (team, release). */
    Path instancesDir();

    /** Where checkpoints and the topic deletion schedule are kept. */
    Path stateDir();

    /** How often acknowledged positions are written to disk (and always on shutdown). */
    Duration checkpointInterval();

    /** Full rescan of the log directory besides the file system's change events. */
    Duration rescanInterval();

    /** The longest wait for new bytes when no change event comes. */
    Duration pollInterval();

    /** A rotated-away or deleted file is closed this long after it stopped growing and all its lines are acknowledged. */
    Duration forgetAfter();

    /** Longer lines are cut here (UTF-8 bytes) and get fields.truncated = true. */
    int maxLineBytes();

    /** Bytes produced but not yet acknowledged; at the limit reading stops (the files are the buffer). */
    long maxInFlightBytes();

    /** {@code beginning} or {@code end}: where files without a checkpoint start when there is no checkpoint file at all. */
    @WithDefault("beginning")
    String startAt();

    /** Lines of app {@code a} go to topic {@code <prefix>a}; only a benchmark changes it. */
    @WithDefault("berth.logs.")
    String topicPrefix();

    Producer producer();

    interface Producer {
        Duration linger();

        int batchSize();

        /** none, gzip, snappy, lz4 or zstd. */
        String compression();

        /** A record not acknowledged within this is failed; its file is then re-read from the last checkpoint. */
        Duration deliveryTimeout();
    }
}

package io.berth.common.directory;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code berth.directory.*}: the in-memory directories of the compacted topics (shared configuration documents each key). */
@ConfigMapping(prefix = "berth.directory")
public interface DirectoryConfig {
    /** Off: no consumer starts, only the admin and service tokens work, every app is unknown to members. */
    @WithDefault("true")
    boolean enabled();

    /** How long start-up waits for the directories to load before it goes on (readiness stays DOWN until they do). */
    @WithDefault("10s")
    Duration startupWait();

    /** Create a missing topic as compacted (a consumer must never create it plain). */
    @WithDefault("true")
    boolean createTopics();

    /** Partitions of a topic the directory has to create. */
    @WithDefault("3")
    int topicPartitions();
}

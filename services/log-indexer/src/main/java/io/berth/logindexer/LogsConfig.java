package io.berth.logindexer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Everything under berth.logs.*; each key can be set by its BERTH_LOGS_* environment variable. */
@ConfigMapping(prefix = "berth.logs")
public interface LogsConfig {

    /** Indices are named {@code <prefix>-<app>-YYYY.MM.DD}; the dead-letter index is {@code <prefix>-deadletter}. */
    @WithDefault("berth-logs")
    String indexPrefix();

    /** Topics the indexer consumes; new matching topics are picked up within {@link #metadataMaxAge()}. */
    @WithDefault("berth\\.logs\\..*")
    String topicPattern();

    @WithDefault("berth-log-indexer")
    String consumerGroup();

    /** How often the consumer refreshes topic metadata, i.e. how soon a new app's topic is consumed. */
    @WithDefault("5s")
    Duration metadataMaxAge();

    @WithDefault("5000")
    int maxPollRecords();

    /**
     * Consumers in the group, each with its own partitions and bulks: more than one overlaps preparing and
     * indexing. Three, as an app's topic has three partitions by default: with two, one consumer held two
     * partitions and its single bulk in flight set the pace.
     */
    @WithDefault("3")
    int consumerThreads();

    /** A bulk request is split when its documents exceed this many bytes. */
    @WithDefault("8388608")
    int bulkMaxBytes();

    /** Messages longer than this (in chars) are cut and flagged {@code truncated}. */
    @WithDefault("32768")
    int maxMessageChars();

    /** A JSON record larger than this is indexed as text (its fields are not kept). */
    @WithDefault("262144")
    int maxJsonBytes();

    /** Indices older than this many days are deleted by the retention job. */
    @WithDefault("7")
    int retentionDays();

    @WithDefault("1h")
    Duration retentionInterval();

    /** Replicas per log index: 0 on a single node. */
    @WithDefault("0")
    int replicas();

    @WithDefault("1s")
    Duration refreshInterval();

    /** First and longest wait between retries while Elasticsearch fails. */
    @WithDefault("200ms")
    Duration backoffInitial();

    @WithDefault("10s")
    Duration backoffMax();

    /** Retries of single items that fail with 429/5xx while the rest of the bulk succeeds, before they are dead-lettered. */
    @WithDefault("8")
    int itemMaxAttempts();

    @WithDefault("1000")
    int searchMaxSize();

    @WithDefault("1000000")
    long exportMaxLines();

    @WithDefault("64")
    int tailMaxStreams();

    /** Comment lines sent on an idle tail so that a gone client is noticed. */
    @WithDefault("10s")
    Duration tailHeartbeat();
}

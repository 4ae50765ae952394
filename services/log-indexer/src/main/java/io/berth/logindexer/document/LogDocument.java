package io.berth.logindexer.document;

import java.time.Instant;
import java.util.Map;

/**
 * One log line as it is stored: the Elasticsearch document, plus where it came from in Kafka
 * (its id is the collector's event id for a collected line, else {@code <topic>-<partition>-<offset>}, so a
 * redelivery, or a line the collector sent again, overwrites instead of duplicating).
 */
public record LogDocument(String id, Instant time, String app, String team, String release, String instance,
        String level, String stream, String message, boolean truncated, Map<String, Object> fields,
        String topic, int partition, long offset, String source) {

    public static String idOf(String topic, int partition, long offset) {
        return topic + "-" + partition + "-" + offset;
    }
}

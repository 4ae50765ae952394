package io.berth.logindexer.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.events.EventCodec;
import io.berth.events.InvalidEventException;
import io.berth.events.log.LogLine;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a record of a log topic into a document. Two kinds of record arrive: CloudEvents of type
 * io.berth.LogLine from the collector, and whatever an app writes to its topic itself (a JSON
 * object or plain text). The app always comes from the topic name, so a record cannot land in
 * another app's logs; the instance of a direct record is its key, its time the record timestamp.
 */
public final class RecordMapper {
    public static final String SOURCE_COLLECTOR = "collector";
    public static final String SOURCE_DIRECT = "direct";
    private static final ObjectMapper JSON = EventCodec.mapper();
    private static final List<String> MESSAGE_KEYS = List.of("message", "msg", "log", "text");
    private static final List<String> LEVEL_KEYS = List.of("level", "severity", "lvl", "loglevel", "log.level");
    // date_nanos holds 1970 .. 2262: a line outside it cannot be stored
    private static final Instant EARLIEST = Instant.EPOCH;
    private static final Instant LATEST = Instant.parse("2262-01-01T00:00:00Z");
    private static final String TRUNCATED_FIELD = "truncated";
    // Elasticsearch takes ids of up to 512 bytes; an id of this many chars stays well under that in UTF-8
    private static final int MAX_ID_CHARS = 160;

    private final int maxMessageChars;
    private final int maxJsonBytes;

    public RecordMapper(int maxMessageChars, int maxJsonBytes) {
        this.maxMessageChars = maxMessageChars;
        this.maxJsonBytes = maxJsonBytes;
    }

    public Mapped map(KafkaRecord record) {
        if (record.value() == null) {
            return new Mapped.Skip(record);
        }
        JsonNode json = record.value().length <= maxJsonBytes ? jsonObject(record.value()) : null;
        if (json != null && json.hasNonNull("specversion") && "io.berth.LogLine".equals(json.path("type").asText())) {
            return fromEvent(record, json);
        }
        return json != null ? fromJson(record, (ObjectNode) json) : fromText(record);
    }

    /** The event's data read from the tree already parsed (one parse per record: this is the hot path). */
    private Mapped fromEvent(KafkaRecord record, JsonNode event) {
        LogLine line;
        try {
            JsonNode data = event.get("data");
            if (data == null || !data.isObject()) {
                throw new InvalidEventException("missing required field 'data'");
            }
            line = logLine(data);
        } catch (InvalidEventException e) {
            return new Mapped.Poison(record, "invalid LogLine event: " + e.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException
                | java.time.format.DateTimeParseException e) {
            Throwable cause = e.getCause() instanceof InvalidEventException ? e.getCause() : e;
            return new Mapped.Poison(record, "invalid LogLine event: " + cause.getMessage());
        }
        if (line.time().isBefore(EARLIEST) || !line.time().isBefore(LATEST)) {
            return new Mapped.Poison(record, "time out of range (1970..2262): " + line.time());
        }
        TextSanitizer.Text cleaned = TextSanitizer.clean(line.message(), maxMessageChars);
        // the collector cuts an overlong line itself and says so in fields.truncated
        TextSanitizer.Text message = new TextSanitizer.Text(cleaned.value(),
                cleaned.truncated() || Boolean.TRUE.equals(line.fields().get(TRUNCATED_FIELD)));
        String level = Level.normalise(line.level()).or(() -> Level.detect(message.value())).map(Level::id).orElse(null);
        return document(collectorLineId(event, record), record, line.time(), line.team(),
                line.release() > 0 ? Integer.toString(line.release()) : null, line.instance(), level, line.stream(), message,
                cleanFields(line.fields()), SOURCE_COLLECTOR);
    }

    /**
     * The event's data read field by field from the tree already parsed: binding it through Jackson's
     * record deserializer cost more than the parse itself. The LogLine constructor still checks it.
     */
    @SuppressWarnings("unchecked")
    private static LogLine logLine(JsonNode data) throws com.fasterxml.jackson.core.JsonProcessingException {
        JsonNode fields = data.get("fields");
        Map<String, Object> fieldMap = fields == null || fields.isNull() || fields.isEmpty() ? Map.of()
                : JSON.treeToValue(fields, Map.class);
        JsonNode release = data.get("release");
        if (release != null && !release.isNull() && !release.canConvertToInt()) {
            throw new InvalidEventException("field 'release' is not a number");
        }
        String time = text(data, "time");
        return new LogLine(text(data, "app"), text(data, "team"), text(data, "instance"),
                release == null ? 0 : release.asInt(), time == null ? null : Instant.parse(time), text(data, "stream"),
                text(data, "level"), text(data, "message"), fieldMap);
    }

    private static String text(JsonNode data, String field) {
        JsonNode value = data.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new InvalidEventException("field '" + field + "' is not a value");
        }
        return value.asText();
    }

    /**
     * The collector names each line by where it sits in its file, and sends it again under the
     * same event id after a crash between Kafka's ack and its checkpoint: the document id is that
     * event id, so the resent copy (a new Kafka offset) overwrites the first instead of doubling it.
     * An overlong or missing id falls back to topic-partition-offset.
     */
    static String collectorLineId(JsonNode event, KafkaRecord record) {
        JsonNode id = event.get("id");
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            return record.id();
        }
        String text = id.asText();
        return text.length() <= MAX_ID_CHARS ? "c:" + text : "c:" + io.berth.common.auth.TokenHash.sha256Hex(text);
    }

    private Mapped fromJson(KafkaRecord record, ObjectNode json) {
        String messageKey = MESSAGE_KEYS.stream().filter(k -> json.path(k).isTextual()).findFirst().orElse(null);
        TextSanitizer.Text message = TextSanitizer.clean(
                messageKey != null ? json.get(messageKey).asText() : TextSanitizer.decode(record.value()), maxMessageChars);
        String level = LEVEL_KEYS.stream().map(json::get).filter(v -> v != null && v.isValueNode())
                .map(v -> Level.normalise(v.asText())).filter(java.util.Optional::isPresent).map(java.util.Optional::get)
                .findFirst().or(() -> Level.detect(message.value())).map(Level::id).orElse(null);
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = JSON.convertValue(json, Map.class);
        if (messageKey != null) {
            fields.remove(messageKey);
        }
        String stream = json.path("stream").isTextual() ? json.get("stream").asText() : null;
        return document(record.id(), record, Instant.ofEpochMilli(record.timestamp()), null, null, instanceOf(record), level,
                stream, message, cleanFields(fields), SOURCE_DIRECT);
    }

    private Mapped fromText(KafkaRecord record) {
        TextSanitizer.Text message = TextSanitizer.clean(TextSanitizer.decode(record.value()), maxMessageChars);
        boolean tooLongForJson = record.value().length > maxJsonBytes;
        String level = Level.detect(message.value()).map(Level::id).orElse(null);
        return document(record.id(), record, Instant.ofEpochMilli(record.timestamp()), null, null, instanceOf(record), level,
                null, new TextSanitizer.Text(message.value(), message.truncated() || tooLongForJson), Map.of(), SOURCE_DIRECT);
    }

    private static Mapped document(String id, KafkaRecord record, Instant time, String team, String release, String instance,
            String level, String stream, TextSanitizer.Text message, Map<String, Object> fields, String source) {
        return new Mapped.Document(new LogDocument(id, time, IndexNames.appOf(record.topic()), team, release,
                instance, level, stream, message.value(), message.truncated(), fields, record.topic(),
                record.partition(), record.offset(), source));
    }

    private static String instanceOf(KafkaRecord record) {
        return record.key() == null || record.key().length == 0 ? "unknown"
                : TextSanitizer.clean(TextSanitizer.decode(record.key()), 256).value();
    }

    private static JsonNode jsonObject(byte[] value) {
        int i = 0;
        while (i < value.length && Character.isWhitespace(value[i])) {
            i++;
        }
        if (i == value.length || value[i] != '{') {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(value);
            return node != null && node.isObject() ? node : null;
        } catch (java.io.IOException | RuntimeException notJson) {
            return null; // broken JSON is a text line like any other
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cleanFields(Map<String, Object> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(TextSanitizer.cleanValue(k), cleanValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object cleanValue(Object v) {
        if (v instanceof String s) {
            return TextSanitizer.cleanValue(s);
        }
        if (v instanceof Map<?, ?> m) {
            return cleanFields((Map<String, Object>) m);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(RecordMapper::cleanValue).toList();
        }
        return v;
    }
}

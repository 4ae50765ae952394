package io.berth.logcollector.ship;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.berth.events.CloudEvent;
import io.berth.events.EventCodec;
import io.berth.events.EventType;
import io.berth.events.log.LogLine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes a LogLine as the same CloudEvents JSON that {@link EventCodec#toBytes} writes (same
 * fields, same order, read back by {@link EventCodec#fromBytes}), but streamed straight into bytes
 * instead of through a JSON tree, which is most of the cost of a line.
 *
 * <p>The event id is derived from where the line is in its file
 * ({@code <instance>:<dev>:<inode>:<end offset>:<time>}), so a line sent again after a crash
 * carries the same id as the first time: a consumer can drop the repeat by id.
 * Not thread-safe: one per producing thread.
 */
public final class LogLineEncoder {
    static final String SOURCE = "/berth/log-collector";
    private static final EventType TYPE = EventType.of(LogLine.class);
    private static final String TYPE_NAME = TYPE.name();
    private static final String SCHEMA = TYPE.schema().toString();

    private final ByteArrayBuilder out = new ByteArrayBuilder(2048);

    public byte[] encode(LogLine line, String id) {
        out.reset();
        try (JsonGenerator json = EventCodec.mapper().getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("specversion", CloudEvent.SPEC_VERSION);
            json.writeStringField("id", id);
            json.writeStringField("source", SOURCE);
            json.writeStringField("type", TYPE_NAME);
            // the envelope's time is when the line was written: the occurrence the event is about
            String time = line.time().toString();
            json.writeStringField("time", time);
            json.writeStringField("subject", line.app());
            json.writeStringField("dataschema", SCHEMA);
            json.writeStringField("datacontenttype", CloudEvent.CONTENT_TYPE);
            json.writeObjectFieldStart("data");
            json.writeStringField("app", line.app());
            json.writeStringField("team", line.team());
            json.writeStringField("instance", line.instance());
            json.writeNumberField("release", line.release());
            json.writeStringField("time", time);
            json.writeStringField("stream", line.stream());
            json.writeStringField("level", line.level());
            json.writeStringField("message", line.message());
            json.writeFieldName("fields");
            writeFields(json, line.fields());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeFields(JsonGenerator json, Map<String, Object> fields) throws IOException {
        if (fields.isEmpty()) {
            json.writeStartObject();
            json.writeEndObject();
        } else {
            json.writeObject(fields);
        }
    }
}

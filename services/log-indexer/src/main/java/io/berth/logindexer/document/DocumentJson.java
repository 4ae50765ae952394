package io.berth.logindexer.document;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.events.EventCodec;
import java.util.Base64;
import java.util.Map;

/** The JSON that goes into Elasticsearch, for log documents and dead-letter entries. */
public final class DocumentJson {
    private static final ObjectMapper JSON = EventCodec.mapper();

    private DocumentJson() {
    }

    /** Written field by field with a generator: this runs for every line, and a tree per line costs twice as much. */
    public static byte[] log(LogDocument d) throws JsonProcessingException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256 + d.message().length());
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@timestamp", d.time().toString());
            g.writeStringField("app", d.app());
            writeIfPresent(g, "team", d.team());
            writeIfPresent(g, "release", d.release());
            g.writeStringField("instance", d.instance());
            writeIfPresent(g, "level", d.level());
            writeIfPresent(g, "stream", d.stream());
            g.writeStringField("message", d.message());
            g.writeBooleanField("truncated", d.truncated());
            if (!d.fields().isEmpty()) {
                g.writeFieldName("fields");
                JSON.writeValue(g, d.fields());
            }
            g.writeObjectFieldStart("kafka");
            g.writeStringField("topic", d.topic());
            g.writeNumberField("partition", d.partition());
            g.writeNumberField("offset", d.offset());
            g.writeEndObject();
            g.writeStringField("source", d.source());
            g.writeEndObject();
        } catch (JsonProcessingException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("writing to memory does not fail", e);
        }
        return out.toByteArray();
    }

    private static void writeIfPresent(JsonGenerator g, String key, String value) throws java.io.IOException {
        if (value != null) {
            g.writeStringField(key, value);
        }
    }

    /** A record Elasticsearch refused (or that could not be read), kept with the reason and its raw bytes. */
    public static byte[] deadLetter(KafkaRecord r, String reason, java.time.Instant at) throws JsonProcessingException {
        ObjectNode node = JSON.createObjectNode();
        node.put("@timestamp", at.toString());
        node.put("app", IndexNames.appOf(r.topic()));
        node.put("reason", TextSanitizer.clean(reason, 8192).value());
        ObjectNode kafka = node.putObject("kafka");
        kafka.put("topic", r.topic());
        kafka.put("partition", r.partition());
        kafka.put("offset", r.offset());
        kafka.put("timestamp", r.timestamp());
        if (r.key() != null) {
            kafka.put("key", TextSanitizer.clean(TextSanitizer.decode(r.key()), 1024).value());
        }
        // the raw record, both as text for a human and base64 so that nothing of it is lost
        if (r.value() != null) {
            node.put("raw", TextSanitizer.clean(TextSanitizer.decode(r.value()), 32768).value());
            node.put("rawBase64", Base64.getEncoder().encodeToString(r.value()));
        }
        return JSON.writeValueAsBytes(node);
    }

    /** The API's view of a stored document (its _source): the same shape for search, tail and export. */
    public static Map<String, Object> entry(String id, Map<String, Object> source) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("id", id);
        out.put("time", source.get("@timestamp"));
        for (String key : new String[] {"app", "team", "release", "instance", "level", "stream", "message", "truncated", "fields"}) {
            if (source.get(key) != null) {
                out.put(key, source.get(key));
            }
        }
        return out;
    }

    public static Map<String, Object> entry(LogDocument d) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("id", d.id());
        out.put("time", d.time().toString());
        out.put("app", d.app());
        putIfPresent(out, "team", d.team());
        putIfPresent(out, "release", d.release());
        out.put("instance", d.instance());
        putIfPresent(out, "level", d.level());
        putIfPresent(out, "stream", d.stream());
        out.put("message", d.message());
        out.put("truncated", d.truncated());
        if (!d.fields().isEmpty()) {
            out.put("fields", d.fields());
        }
        return out;
    }

    private static void putIfPresent(Map<String, Object> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}

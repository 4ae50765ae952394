package io.berth.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;

/**
 * Reads and writes {@link CloudEvent}s as CloudEvents JSON. Unknown fields are ignored (a newer
 * producer may add some); a missing required field is an {@link InvalidEventException} that names
 * the event type and the field.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    private EventCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(CloudEvent event) {
        try {
            return MAPPER.writeValueAsBytes(toTree(event));
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("cannot write event " + event.type() + ": " + e.getOriginalMessage(), e);
        }
    }

    public static String toJson(CloudEvent event) {
        return new String(toBytes(event), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static ObjectNode toTree(CloudEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("specversion", event.specversion());
        node.put("id", event.id());
        node.put("source", event.source().toString());
        node.put("type", event.type());
        node.put("time", event.time().toString());
        node.put("subject", event.subject());
        if (event.dataschema() != null) {
            node.put("dataschema", event.dataschema().toString());
        }
        node.put("datacontenttype", event.datacontenttype() == null ? CloudEvent.CONTENT_TYPE : event.datacontenttype());
        node.set("data", event.data() instanceof UnknownEventData unknown ? unknown.raw() : MAPPER.valueToTree(event.data()));
        return node;
    }

    public static CloudEvent fromBytes(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidEventException("empty event");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidEventException("event is not valid JSON: " + e.getMessage(), e);
        }
        return fromTree(node);
    }

    public static CloudEvent fromJson(String json) {
        return fromBytes(json == null ? null : json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static CloudEvent fromTree(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidEventException("event is not a JSON object");
        }
        String type = text(node, "type", "event");
        String context = "event " + type;
        JsonNode data = node.get("data");
        if (data == null || !data.isObject()) {
            throw new InvalidEventException(context + ": missing required field 'data'");
        }
        String subject = text(node, "subject", context);
        EventData payload = EventType.named(type)
                .<EventData>map(known -> readData(data, known, context))
                .orElseGet(() -> new UnknownEventData(subject, data));
        String specversion = text(node, "specversion", context);
        String id = text(node, "id", context);
        String source = text(node, "source", context);
        String time = text(node, "time", context);
        try {
            return new CloudEvent(specversion, id, URI.create(source), type, Instant.parse(time), subject,
                    node.hasNonNull("dataschema") ? URI.create(node.get("dataschema").asText()) : null,
                    node.hasNonNull("datacontenttype") ? node.get("datacontenttype").asText() : null,
                    payload);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidEventException(context + ": field 'time' is not an RFC 3339 timestamp: " + time, e);
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(context + ": " + e.getMessage(), e);
        }
    }

    private static EventData readData(JsonNode data, EventType type, String context) {
        try {
            return MAPPER.treeToValue(data, type.dataClass());
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof InvalidEventException ? cause.getMessage() : e.getOriginalMessage();
            throw new InvalidEventException(context + ": data: " + why, e);
        } catch (JsonProcessingException e) {
            throw new InvalidEventException(context + ": data: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode node, String field, String context) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank()) {
            throw new InvalidEventException(context + ": missing required field '" + field + "'");
        }
        return value.asText();
    }
}

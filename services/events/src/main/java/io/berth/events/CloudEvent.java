package io.berth.events;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

/**
 * A CloudEvents 1.0 envelope in structured JSON mode. {@code type} names the payload kind and
 * {@code dataschema} its version; {@code subject} is the app, which is also the Kafka key.
 */
public record CloudEvent(
        String specversion,
        String id,
        URI source,
        String type,
        Instant time,
        String subject,
        URI dataschema,
        String datacontenttype,
        EventData data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String CONTENT_TYPE = "application/json";

    public CloudEvent {
        Require.text(specversion, "specversion");
        Require.text(id, "id");
        Require.present(source, "source");
        Require.text(type, "type");
        Require.present(time, "time");
        Require.text(subject, "subject");
        Require.present(data, "data");
    }

    /** Wraps a payload in a new envelope: fresh id, current time, subject and schema from the payload. */
    public static CloudEvent of(String source, EventData data) {
        Require.present(data, "data");
        EventType type = EventType.of(data.getClass());
        return new CloudEvent(SPEC_VERSION, UUID.randomUUID().toString(), URI.create(Require.text(source, "source")),
                type.name(), Instant.now(), data.app(), type.schema(), CONTENT_TYPE, data);
    }

    /** The topic this event is published on. */
    public String topic() {
        return data instanceof UnknownEventData ? null : EventType.of(data.getClass()).topic();
    }

    @SuppressWarnings("unchecked")
    public <T extends EventData> T dataAs(Class<T> kind) {
        if (!kind.isInstance(data)) {
            throw new InvalidEventException("event " + id + " of type " + type + " is not a " + kind.getSimpleName());
        }
        return (T) data;
    }
}

package io.berth.events;

/**
 * The payload of a Berth event. Every payload belongs to one app, which becomes the CloudEvent
 * subject and the Kafka key.
 */
public interface EventData {
    String app();
}

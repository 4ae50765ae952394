package io.berth.events.kafka;

import io.berth.events.CloudEvent;
import io.berth.events.EventCodec;
import org.apache.kafka.common.serialization.Serializer;

/** Kafka value serializer for SmallRye Reactive Messaging channels and plain producers. */
public class CloudEventSerializer implements Serializer<CloudEvent> {
    @Override
    public byte[] serialize(String topic, CloudEvent event) {
        return event == null ? null : EventCodec.toBytes(event);
    }
}

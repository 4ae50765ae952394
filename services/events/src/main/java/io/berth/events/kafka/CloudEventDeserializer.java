package io.berth.events.kafka;

import io.berth.events.CloudEvent;
import io.berth.events.EventCodec;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka value deserializer. A malformed record throws {@link io.berth.events.InvalidEventException};
 * SmallRye channels should set a failure handler so one bad record does not stop a consumer.
 */
public class CloudEventDeserializer implements Deserializer<CloudEvent> {
    @Override
    public CloudEvent deserialize(String topic, byte[] data) {
        return data == null ? null : EventCodec.fromBytes(data);
    }
}

package io.berth.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.events.audit.AuditRecorded;
import io.berth.events.deployment.ReleaseCreated;
import io.berth.events.deployment.RolloutStarted;
import io.berth.events.instance.InstanceState;
import io.berth.events.instance.InstanceStateChanged;
import io.berth.events.kafka.CloudEventDeserializer;
import io.berth.events.kafka.CloudEventSerializer;
import io.berth.events.log.LogLine;
import io.berth.events.registration.InstanceRegistered;
import io.berth.events.scaling.ScaleDecided;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {

    private static final List<EventData> SAMPLES = List.of(
            new ReleaseCreated("shop", 2, 3, "admin"),
            new RolloutStarted("shop", "r-1", null, 1, 3),
            new InstanceStateChanged("shop", "shop-v1-abc", 1, InstanceState.READY, "127.0.0.1", 20001, 7, null),
            new InstanceRegistered("shop", "shop-v1-abc", 1, "127.0.0.1", 20001, 100),
            new ScaleDecided("shop", "d-9", 1, 5, "rps 250 > 50/instance"),
            new LogLine("shop", "team-a", "shop-v1-abc", 1, Instant.parse("2026-11-22T10:00:00.123456789Z"),
                    "stdout", "INFO", "GET / 200", Map.of("path", "/")),
            new AuditRecorded("shop", "team-a", "alice", "member", "tok-1", "POST /api/apps/{app}/scale",
                    "/api/apps/shop/scale", "127.0.0.1", 200, AuditRecorded.OK, Instant.parse("2026-11-22T10:00:00.5Z")));

    @Test
    void everyKindRoundTripsThroughKafkaSerde() {
        var serializer = new CloudEventSerializer();
        var deserializer = new CloudEventDeserializer();
        for (EventData data : SAMPLES) {
            CloudEvent sent = CloudEvent.of("/berth/test", data);
            CloudEvent received = deserializer.deserialize("t", serializer.serialize("t", sent));
            assertEquals(sent, received, data.getClass().getSimpleName());
            assertEquals("shop", received.subject());
        }
    }

    @Test
    void envelopeFollowsCloudEventsAndNamesTypeAndSchema() {
        CloudEvent event = CloudEvent.of("/berth/deploy", new ReleaseCreated("shop", 2, 3, "admin"));
        String json = EventCodec.toJson(event);
        assertTrue(json.contains("\"specversion\":\"1.0\""), json);
        assertEquals("io.berth.ReleaseCreated", event.type());
        assertEquals("urn:io.berth:schema:ReleaseCreated:v1", event.dataschema().toString());
        assertEquals(Topics.DEPLOYMENTS, event.topic());
    }

    @Test
    void unknownFieldsAreTolerated() {
        String json = """
                {"specversion":"1.0","id":"1","source":"/x","type":"io.berth.ScaleDecided",
                 "time":"2026-11-22T10:00:00Z","subject":"shop","added":"later","extension":{"a":1},
                 "data":{"app":"shop","decisionId":"d","fromReplicas":1,"toReplicas":2,"reason":"r","newField":42}}
                """;
        ScaleDecided decided = EventCodec.fromJson(json).dataAs(ScaleDecided.class);
        assertEquals(2, decided.toReplicas());
    }

    @Test
    void unknownTypeIsKeptRawSoOlderConsumersCanSkipIt() {
        String json = """
                {"specversion":"1.0","id":"1","source":"/x","type":"io.berth.FromTheFuture",
                 "time":"2026-11-22T10:00:00Z","subject":"shop","data":{"app":"shop","x":1}}
                """;
        CloudEvent event = EventCodec.fromJson(json);
        UnknownEventData data = assertInstanceOf(UnknownEventData.class, event.data());
        assertEquals(1, data.raw().get("x").asInt());
        assertNull(event.topic());
        assertTrue(EventCodec.toJson(event).contains("\"x\":1"));
    }

    @Test
    void missingEnvelopeFieldIsRejectedByName() {
        String json = """
                {"specversion":"1.0","source":"/x","type":"io.berth.ScaleDecided","time":"2026-11-22T10:00:00Z",
                 "subject":"shop","data":{"app":"shop","decisionId":"d","fromReplicas":1,"toReplicas":2,"reason":"r"}}
                """;
        var error = assertThrows(InvalidEventException.class, () -> EventCodec.fromJson(json));
        assertEquals("event io.berth.ScaleDecided: missing required field 'id'", error.getMessage());
    }

    @Test
    void missingDataFieldIsRejectedByName() {
        String json = """
                {"specversion":"1.0","id":"1","source":"/x","type":"io.berth.ScaleDecided",
                 "time":"2026-11-22T10:00:00Z","subject":"shop",
                 "data":{"app":"shop","fromReplicas":1,"toReplicas":2,"reason":"r"}}
                """;
        var error = assertThrows(InvalidEventException.class, () -> EventCodec.fromJson(json));
        assertEquals("event io.berth.ScaleDecided: data: missing required field 'decisionId'", error.getMessage());
    }

    @Test
    void wrongTypesAndGarbageAreRejectedClearly() {
        String wrongType = """
                {"specversion":"1.0","id":"1","source":"/x","type":"io.berth.ScaleDecided",
                 "time":"2026-11-22T10:00:00Z","subject":"shop",
                 "data":{"app":"shop","decisionId":"d","fromReplicas":"many","toReplicas":2,"reason":"r"}}
                """;
        var error = assertThrows(InvalidEventException.class, () -> EventCodec.fromJson(wrongType));
        assertTrue(error.getMessage().startsWith("event io.berth.ScaleDecided: data:"), error.getMessage());
        assertThrows(InvalidEventException.class, () -> EventCodec.fromJson("{not json"));
        assertThrows(InvalidEventException.class, () -> EventCodec.fromJson("[1,2]"));
        var badTime = assertThrows(InvalidEventException.class, () -> EventCodec.fromJson(
                wrongType.replace("2026-11-22T10:00:00Z", "yesterday").replace("\"many\"", "1")));
        assertTrue(badTime.getMessage().contains("yesterday"), badTime.getMessage());
    }

    @Test
    void payloadCannotBeBuiltWithoutRequiredFields() {
        var error = assertThrows(InvalidEventException.class, () -> new ReleaseCreated("shop", 0, 1, "me"));
        assertEquals("field 'release' must be >= 1 but was 0", error.getMessage());
        assertThrows(InvalidEventException.class, () -> new InstanceRegistered(" ", "i", 1, "h", 1, 1));
    }

    @Test
    void logTopicIsPerApp() {
        assertEquals("berth.logs.shop", Topics.logs("shop"));
        assertTrue(Topics.LOGS_PATTERN.matcher("berth.logs.shop").matches());
        assertEquals(Topics.PLATFORM.size(), Topics.PLATFORM.stream().distinct().count());
    }
}

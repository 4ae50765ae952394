package io.berth.logindexer.document;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.events.CloudEvent;
import io.berth.events.EventCodec;
import io.berth.events.log.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import io.restassured.path.json.JsonPath;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordMapperTest {
    final RecordMapper mapper = new RecordMapper(1000, 4096);
    static final long TS = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

    static KafkaRecord record(String value) {
        return record(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    static KafkaRecord record(byte[] value) {
        return new KafkaRecord("berth.logs.shop", 2, 41, TS, "shop-1".getBytes(StandardCharsets.UTF_8), value);
    }

    LogDocument doc(KafkaRecord r) {
        return assertInstanceOf(Mapped.Document.class, mapper.map(r)).document();
    }

    @Test
    void aCollectorLineKeepsEverythingItCarries() {
        Instant time = Instant.parse("2026-11-22T10:00:00.123456789Z");
        LogLine line = new LogLine("shop", "payments", "shop-7", 3, time, "stderr", "Warning", "disk almost full",
                Map.of("disk", "/var", "pct", 93));
        KafkaRecord r = record(EventCodec.toBytes(CloudEvent.of("/test", line)));
        LogDocument d = doc(r);
        assertEquals("c:" + JsonPath.from(new String(r.value(), StandardCharsets.UTF_8)).getString("id"), d.id(),
                "a collected line is named by its event id, which a resend keeps");
        assertEquals(time, d.time());
        assertEquals("shop", d.app());
        assertEquals("payments", d.team());
        assertEquals("3", d.release());
        assertEquals("shop-7", d.instance(), "the event's instance, not the key");
        assertEquals("warn", d.level());
        assertEquals("stderr", d.stream());
        assertEquals("disk almost full", d.message());
        assertEquals(93, d.fields().get("pct"));
        assertEquals(RecordMapper.SOURCE_COLLECTOR, d.source());
    }

    @Test
    void aLineSentAgainUnderTheSameEventIdKeepsItsDocumentIdAtAnotherOffset() {
        LogLine line = new LogLine("shop", "payments", "shop-7", 3, Instant.parse("2026-11-22T10:00:00Z"), "stdout", null, "hi",
                Map.of());
        CloudEvent first = CloudEvent.of("/berth/log-collector", line);
        CloudEvent again = new CloudEvent(first.specversion(), first.id(), first.source(), first.type(), first.time(),
                first.subject(), first.dataschema(), first.datacontenttype(), first.data());
        KafkaRecord at41 = record(EventCodec.toBytes(first));
        KafkaRecord at99 = new KafkaRecord("berth.logs.shop", 0, 99, TS, at41.key(), EventCodec.toBytes(again));
        assertEquals(doc(at41).id(), doc(at99).id());
        String longId = "x".repeat(600);
        KafkaRecord overlong = record(EventCodec.toBytes(new CloudEvent(first.specversion(), longId, first.source(), first.type(),
                first.time(), first.subject(), first.dataschema(), first.datacontenttype(), first.data())));
        assertTrue(doc(overlong).id().length() < 100, "an overlong event id is hashed to fit Elasticsearch's 512 bytes");
    }

    @Test
    void aLineTheCollectorCutIsFlaggedTruncated() {
        LogLine cut = new LogLine("shop", "payments", "shop-7", 3, Instant.now(), "stdout", null, "aaaa",
                Map.of("truncated", true));
        assertTrue(doc(record(EventCodec.toBytes(CloudEvent.of("/test", cut)))).truncated());
        LogLine whole = new LogLine("shop", "payments", "shop-7", 3, Instant.now(), "stdout", null, "aaaa", Map.of());
        assertFalse(doc(record(EventCodec.toBytes(CloudEvent.of("/test", whole)))).truncated());
    }

    @Test
    void theAppComesFromTheTopicNotFromTheEvent() {
        LogLine line = new LogLine("other", null, "x-1", 1, Instant.now(), "stdout", null, "hi", Map.of());
        assertEquals("shop", doc(record(EventCodec.toBytes(CloudEvent.of("/test", line)))).app());
    }

    @Test
    void aDirectJsonLineGivesFieldsLevelAndMessage() {
        LogDocument d = doc(record("{\"msg\":\"order placed\",\"severity\":\"ERROR\",\"order\":{\"id\":42}}"));
        assertEquals("order placed", d.message());
        assertEquals("error", d.level());
        assertEquals(Map.of("id", 42), d.fields().get("order"));
        assertFalse(d.fields().containsKey("msg"), "the message is not kept twice");
        assertEquals("shop-1", d.instance(), "instance from the key");
        assertEquals(Instant.ofEpochMilli(TS), d.time(), "time from the record timestamp");
        assertEquals(RecordMapper.SOURCE_DIRECT, d.source());
    }

    @Test
    void aTextLineGetsItsLevelFromItsFirstWords() {
        LogDocument d = doc(record("2026-11-22 10:00:00 [WARN] pool exhausted\n"));
        assertEquals("warn", d.level());
        assertEquals("2026-11-22 10:00:00 [WARN] pool exhausted", d.message());
        assertNull(doc(record("nothing to see")).level());
    }

    @Test
    void brokenJsonIsText() {
        LogDocument d = doc(record("{\"a\": [1, 2"));
        assertEquals("{\"a\": [1, 2", d.message());
        assertTrue(d.fields().isEmpty());
    }

    @Test
    void hostileBytesBecomeSafeText() {
        LogDocument d = doc(record(new byte[] {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28, 0, 1, (byte) 0xFF, ' ', 'e', 'n', 'd'}));
        assertEquals("ok \uFFFD(\uFFFD\uFFFD\uFFFD end", d.message());
        assertEquals("red alert", doc(record("\u001B[31mred\u001B[0m alert\u001B[2K")).message());
    }

    @Test
    void aHugeLineIsCutAndFlagged() {
        LogDocument d = doc(record("start " + "x".repeat(1_000_000)));
        assertEquals(1000, d.message().length());
        assertTrue(d.message().startsWith("start x"));
        assertTrue(d.truncated());
        LogDocument json = doc(record("{\"message\":\"" + "y".repeat(10_000) + "\"}"));
        assertTrue(json.truncated(), "too big to be read as JSON: indexed as cut text");
        assertFalse(doc(record("short")).truncated());
    }

    @Test
    void anInvalidLogLineEventIsPoison() {
        String event = "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"io.berth.LogLine\",\"time\":\"2026-11-22T10:00:00Z\","
                + "\"subject\":\"shop\",\"data\":{\"app\":\"shop\",\"instance\":\"i\",\"time\":\"2026-11-22T10:00:00Z\",\"stream\":\"stdout\"}}";
        Mapped.Poison p = assertInstanceOf(Mapped.Poison.class, mapper.map(record(event)));
        assertTrue(p.reason().contains("message"), p.reason());
    }

    @Test
    void aTombstoneIsSkipped() {
        assertInstanceOf(Mapped.Skip.class, mapper.map(record((byte[]) null)));
    }

    @Test
    void documentJsonHasTheMappedFields() throws Exception {
        String json = new String(DocumentJson.log(doc(record("{\"msg\":\"m\",\"k\":\"v\"}"))), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"@timestamp\":\"2026-11-22T10:00:00Z\""), json);
        assertTrue(json.contains("\"fields\":{\"k\":\"v\"}"), json);
        assertTrue(json.contains("\"kafka\":{\"topic\":\"berth.logs.shop\",\"partition\":2,\"offset\":41}"), json);
    }
}

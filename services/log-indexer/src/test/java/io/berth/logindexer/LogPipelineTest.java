package io.berth.logindexer;

import static io.berth.common.testing.TestAuth.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.berth.events.log.LogLine;
import io.berth.logindexer.document.KafkaRecord;
import io.berth.logindexer.pipeline.BulkIndexer;
import io.berth.logindexer.retention.RetentionJob;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipeline and the API against the real Kafka and Elasticsearch: lines written to per-app
 * topics (which did not exist when the indexer started) come out of the API exactly once.
 */
@QuarkusTest
class LogPipelineTest {
    static final List<String> APPS = new ArrayList<>();

    @Inject
    ElasticsearchClient elasticsearch;
    @Inject
    BulkIndexer bulkIndexer;
    @Inject
    RetentionJob retention;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "berth.logs.index-prefix")
    String prefix;

    static LogProducer producer;

    @BeforeAll
    static void producer() {
        producer = new LogProducer(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void cleanUp() {
        producer.close();
        // the topics are this run's own; their indices stay for a look after a failure (retention removes them)
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, org.eclipse.microprofile.config.ConfigProvider
                .getConfig().getValue("kafka.bootstrap.servers", String.class)))) {
            admin.deleteTopics(APPS.stream().map(a -> "berth.logs." + a).toList()).all().get();
        } catch (Exception ignored) {
            // best effort
        }
    }

    static String app(String purpose) {
        String app = "lt-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
        APPS.add(app);
        return app;
    }

    long count(String app) throws Exception {
        elasticsearch.indices().refresh(r -> r.index(prefix + "-" + app + "-*").ignoreUnavailable(true).allowNoIndices(true));
        return elasticsearch.count(c -> c.index(prefix + "-" + app + "-*").ignoreUnavailable(true).allowNoIndices(true)).count();
    }

    void awaitCount(String app, long expected) throws Exception {
        await("count of " + app + " == " + expected, Duration.ofSeconds(60), () -> {
            try {
                return count(app) >= expected;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(expected, count(app), "exactly as many documents as lines");
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(what + " not reached within " + timeout);
    }

    static List<Map<String, Object>> page(String app, String query) {
        return asAdmin().get("/api/logs/" + app + (query.isEmpty() ? "" : "?" + query)).then().statusCode(200).extract().jsonPath().getList("lines");
    }

    static int seq(Map<String, Object> line) {
        return Integer.parseInt(((String) line.get("message")).split(" ")[1]);
    }

    @Test
    void everyLineBecomesOneDocumentFoundByTextTimeLevelAndPages() throws Exception {
        String app = app("lines");
        int n = 57;
        Instant base = Instant.now().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String level = i % 10 == 0 ? "ERROR" : "info";
            String words = i % 5 == 0 ? "payment accepted" : "cart viewed";
            sends.add(producer.line(new LogLine(app, "team-a", app + "-" + (i % 3), 1 + i % 2, base.plusMillis(i * 100L),
                    "stdout", level, "line " + i + " " + words, Map.of("seq", i))));
        }
        LogProducer.acknowledged(sends);
        awaitCount(app, n);

        // newest first, paged with the opaque cursor, every line exactly once
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath body = asAdmin().queryParam("size", 10).queryParam("searchAfter", cursor == null ? "" : cursor)
                    .get("/api/logs/" + app).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> lines = body.getList("lines");
            lines.forEach(l -> seen.add(seq(l)));
            cursor = body.getString("next");
            pages++;
        } while (cursor != null);
        assertEquals(6, pages);
        List<Integer> expected = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            expected.add(i);
        }
        assertEquals(expected, seen, "newest first, no gap, no duplicate");

        Map<String, Object> first = page(app, "size=1").get(0);
        assertEquals("line 56 cart viewed", first.get("message"));
        assertEquals(app, first.get("app"));
        assertEquals("team-a", first.get("team"));
        assertEquals("1", first.get("release"));
        assertEquals(app + "-2", first.get("instance"));
        assertEquals("info", first.get("level"));
        assertEquals(Map.of("seq", 56), first.get("fields"));
        assertTrue(((String) first.get("id")).startsWith("c:"), "a collected line is named by its event id: " + first.get("id"));

        // by text, level, instance, release, and a time window
        assertEquals(12, page(app, "q=payment&size=100").size());
        assertEquals(6, page(app, "level=error&size=100").size());
        assertEquals(12, page(app, "level=error,info&q=payment+accepted&size=100").size());
        assertEquals(19, page(app, "instance=" + app + "-0&size=100").size());
        assertEquals(28, page(app, "release=2&size=100").size());
        List<Map<String, Object>> window = page(app, "from=" + base.plusMillis(1000) + "&to=" + base.plusMillis(1900) + "&size=100");
        assertEquals(List.of(19, 18, 17, 16, 15, 14, 13, 12, 11, 10), window.stream().map(LogPipelineTest::seq).toList());

        // export: the same lines, oldest first, as NDJSON
        String ndjson = asAdmin().get("/api/logs/" + app + "/export?from=" + base + "&to=" + base.plusSeconds(10))
                .then().statusCode(200).contentType("application/x-ndjson").extract().asString();
        List<Integer> exported = ndjson.lines().map(l -> seq(JsonPath.from(l).getMap(""))).toList();
        assertEquals(n, exported.size());
        assertEquals(0, exported.get(0));
        assertEquals(n - 1, exported.get(n - 1));
    }

    @Test
    void linesAnAppWritesToItsTopicItselfAreIndexedTheSameWay() throws Exception {
        String app = app("direct");
        LogProducer.acknowledged(List.of(
                producer.raw(app, "web-1", "{\"msg\":\"user signed in\",\"level\":\"WARNING\",\"user\":{\"id\":42}}"),
                producer.raw(app, "web-2", "ERROR plain text failure")));
        awaitCount(app, 2);
        List<Map<String, Object>> lines = page(app, "");
        Map<String, Object> json = lines.stream().filter(l -> "web-1".equals(l.get("instance"))).findFirst().orElseThrow();
        assertEquals("user signed in", json.get("message"));
        assertEquals("warn", json.get("level"));
        assertEquals(Map.of("user", Map.of("id", 42), "level", "WARNING"), json.get("fields"));
        Map<String, Object> text = lines.stream().filter(l -> "web-2".equals(l.get("instance"))).findFirst().orElseThrow();
        assertEquals("error", text.get("level"));
        assertEquals(1, page(app, "q=signed").size());
    }

    @Test
    void aRedeliveredBatchOverwritesInsteadOfDuplicating() throws Exception {
        String app = app("redeliver");
        List<KafkaRecord> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(new KafkaRecord("berth.logs." + app, i % 2, i, System.currentTimeMillis(), "i-1".getBytes(StandardCharsets.UTF_8),
                    ("line " + i).getBytes(StandardCharsets.UTF_8)));
        }
        assertEquals(20, bulkIndexer.write(batch).indexed());
        assertEquals(20, bulkIndexer.write(batch).indexed());
        assertEquals(20, bulkIndexer.write(batch.subList(5, 15)).indexed() + 10);
        assertEquals(20, count(app));
    }

    @Test
    void aLineTheCollectorSendsAgainAfterACrashIsStoredOnce() throws Exception {
        String app = app("resent");
        Instant time = Instant.now();
        List<byte[]> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            LogLine line = new LogLine(app, "team-a", app + "-0", 1, time.plusMillis(i), "stdout", null, "line " + i, Map.of());
            // as the collector names it: by file and end offset, so the resent copy has the same id
            events.add(io.berth.events.EventCodec.toBytes(new io.berth.events.CloudEvent(io.berth.events.CloudEvent.SPEC_VERSION, app + "-0:1:42:" + (i + 1) * 100 + ":" + i,
                    java.net.URI.create("/berth/log-collector"), "io.berth.LogLine", time, app,
                    io.berth.events.EventType.of(LogLine.class).schema(), io.berth.events.CloudEvent.CONTENT_TYPE, line)));
        }
        List<java.util.concurrent.Future<RecordMetadata>> sends = new ArrayList<>();
        for (byte[] event : events) {
            sends.add(producer.raw(app, app + "-0", event));
        }
        // the collector was killed after Kafka took lines 4..9 but before its checkpoint: they come again
        for (byte[] event : events.subList(4, 10)) {
            sends.add(producer.raw(app, app + "-0", event));
        }
        LogProducer.acknowledged(sends);
        awaitCount(app, 10);
        Thread.sleep(1500); // a later duplicate would show up within a refresh
        assertEquals(10, count(app));
        assertEquals(10, page(app, "size=100").stream().map(l -> l.get("id")).distinct().count());
    }

    @Test
    void aPoisonRecordGoesToTheDeadLetterIndexAndThePipelineGoesOn() throws Exception {
        String app = app("poison");
        // deeper than the flattened field's depth limit: Elasticsearch refuses the document (400)
        String deep = "{\"msg\":\"too deep\",\"a\":" + "{\"b\":".repeat(30) + "1" + "}".repeat(30) + "}";
        String invalidEvent = "{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/x\",\"type\":\"io.berth.LogLine\","
                + "\"time\":\"2026-11-22T10:00:00Z\",\"subject\":\"" + app + "\",\"data\":{\"app\":\"" + app + "\"}}";
        RecordMetadata poison = producer.raw(app, "i-1", deep).get();
        RecordMetadata invalid = producer.raw(app, "i-1", invalidEvent).get();
        producer.raw(app, "i-1", "after the poison").get();
        awaitCount(app, 1);
        assertEquals("after the poison", page(app, "").get(0).get("message"));

        String deadLetter = prefix + "-deadletter";
        for (RecordMetadata m : List.of(poison, invalid)) {
            String id = "berth.logs." + app + "-" + m.partition() + "-" + m.offset();
            await("dead letter " + id, Duration.ofSeconds(30), () -> {
                try {
                    return elasticsearch.exists(e -> e.index(deadLetter).id(id)).value();
                } catch (Exception e) {
                    return false;
                }
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> entry = elasticsearch.get(g -> g.index(deadLetter).id(id), Map.class).source();
            assertNotNull(entry.get("reason"));
            assertNotNull(entry.get("rawBase64"));
            assertEquals(app, entry.get("app"));
        }
    }

    @Test
    void hostileLinesAreIndexedSafely() throws Exception {
        String app = app("hostile");
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        LogProducer.acknowledged(List.of(
                producer.raw(app, "h-binary", binary),
                producer.raw(app, "h-utf8", new byte[] {'b', 'a', 'd', ' ', (byte) 0xC3, (byte) 0x28, ' ', (byte) 0xF0, (byte) 0x28, (byte) 0x8C, (byte) 0x28}),
                producer.raw(app, "h-huge", "hugeline " + "x".repeat(1_000_000)),
                producer.raw(app, "h-json", "{\"broken\": [1, 2, {\"json\""),
                producer.raw(app, "h-ansi", "\u001B[1;31mred alert\u001B[0m \u001B[2K"),
                producer.line(new LogLine(app, null, "h-event", 1, Instant.now(), "stdout", null, "nul\u0000 and \uD800 lone", Map.of("k\u0000", "v\uDC00")))));
        producer.raw(app, "h-after", "still flowing").get();
        awaitCount(app, 7);
        Map<String, Map<String, Object>> byInstance = new java.util.HashMap<>();
        page(app, "").forEach(l -> byInstance.put((String) l.get("instance"), l));
        Map<String, Object> huge = byInstance.get("h-huge");
        assertEquals(true, huge.get("truncated"));
        assertEquals(32768, ((String) huge.get("message")).length());
        assertEquals(false, byInstance.get("h-ansi").get("truncated"));
        assertEquals("red alert ", byInstance.get("h-ansi").get("message"));
        assertEquals("bad \uFFFD( \uFFFD(\uFFFD(", byInstance.get("h-utf8").get("message"));
        assertEquals("{\"broken\": [1, 2, {\"json\"", byInstance.get("h-json").get("message"));
        assertEquals("nul\uFFFD and \uFFFD lone", byInstance.get("h-event").get("message"));
        assertFalse(((String) byInstance.get("h-binary").get("message")).contains("\u0000"));
        assertEquals(1, page(app, "q=alert").size());
        assertEquals(1, page(app, "q=hugeline").size());
    }

    @Test
    void liveTailShowsANewLineWithinASecond() throws Exception {
        String app = app("tail");
        producer.raw(app, "t-1", "INFO before the tail").get(); // the topic exists before the tail opens
        try (SseClient all = SseClient.open(app, "");
                SseClient errors = SseClient.open(app, "level=error");
                SseClient replay = SseClient.open(app, "since=10m")) {
            all.awaitEvent("ready", Duration.ofSeconds(10));
            errors.awaitEvent("ready", Duration.ofSeconds(10));
            assertEquals("INFO before the tail", replay.awaitLog(Duration.ofSeconds(10)).getString("message"));

            long sent = System.nanoTime();
            producer.raw(app, "t-1", "ERROR fresh line " + sent).get();
            JsonPath line = all.awaitLog(Duration.ofSeconds(5));
            long millis = (System.nanoTime() - sent) / 1_000_000;
            assertEquals("ERROR fresh line " + sent, line.getString("message"));
            assertTrue(millis < 1000, "a new line reached the tail in " + millis + " ms");
            assertEquals("error", errors.awaitLog(Duration.ofSeconds(5)).getString("level"));

            producer.raw(app, "t-1", "INFO not an error").get();
            producer.raw(app, "t-1", "ERROR second error").get();
            assertEquals("INFO not an error", all.awaitLog(Duration.ofSeconds(5)).getString("message"));
            assertEquals("ERROR second error", errors.awaitLog(Duration.ofSeconds(5)).getString("message"),
                    "the level filter skipped the info line");
        }
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        String app = "lt-bad";
        Map<String, String> cases = Map.of(
                "from=2026-11-22T10:00:01Z&to=2026-11-22T10:00:00Z", "from",
                "level=loud", "level",
                "size=0", "size",
                "size=5000", "size",
                "searchAfter=nonsense", "searchAfter",
                "to=tomorrow", "to");
        cases.forEach((query, field) -> asAdmin().get("/api/logs/" + app + "?" + query).then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo(field)));
        asAdmin().get("/api/logs/" + app + "/tail?level=loud").then().statusCode(400).body("errors[0].field", equalTo("level"));
        asAdmin().get("/api/logs/" + app + "/tail?since=never").then().statusCode(400).body("errors[0].field", equalTo("since"));
        asAdmin().get("/api/logs/" + app + "/export?from=2026-11-23T00:00:00Z&to=2026-11-22T00:00:00Z").then().statusCode(400)
                .body("errors[0].field", equalTo("from"));
        asAdmin().get("/api/logs/bad*app").then().statusCode(400).body("errors[0].field", equalTo("app"));
    }

    @Test
    void anAppWithoutLogsHasAnEmptyPage() {
        asAdmin().get("/api/logs/lt-never-logged").then().statusCode(200).body("lines.size()", equalTo(0)).body("next", equalTo(null));
        assertEquals("", asAdmin().get("/api/logs/lt-never-logged/export").then().statusCode(200).extract().asString());
    }

    @Test
    void retentionDeletesWholeDaysPastTheLimitOnly() throws Exception {
        String app = app("retention");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String old = prefix + "-" + app + "-2020.01.01";
        String current = prefix + "-" + app + "-" + today.format(java.time.format.DateTimeFormatter.ofPattern("yyyy.MM.dd"));
        elasticsearch.indices().create(c -> c.index(old));
        elasticsearch.indices().create(c -> c.index(current));
        List<String> deleted = retention.run(today);
        assertTrue(deleted.contains(old), deleted.toString());
        assertFalse(deleted.contains(current));
        assertFalse(elasticsearch.indices().exists(e -> e.index(old)).value());
        assertTrue(elasticsearch.indices().exists(e -> e.index(current)).value());
        // the template gave the index its explicit mappings: nanosecond time, keywords, text without a keyword copy
        var mapping = elasticsearch.indices().getMapping(g -> g.index(current)).get(current).mappings().properties();
        assertTrue(mapping.get("@timestamp").isDateNanos());
        assertTrue(mapping.get("instance").isKeyword());
        assertTrue(mapping.get("message").isText());
        assertTrue(mapping.get("message").text().fields().isEmpty(), "no message.keyword: it doubled the indexing cost");
    }

    @Test
    void metricsCountIndexedDocuments() {
        String metrics = asAdmin().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("berth_logs_indexed_total", "berth_logs_deadlettered_total", "berth_logs_retries_total",
                "berth_logs_consumer_lag", "berth_logs_bulk_seconds", "berth_logs_paused")) {
            assertTrue(metrics.contains(name), name + " in /q/metrics");
        }
    }
}

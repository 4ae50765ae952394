package io.berth.logcollector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.events.CloudEvent;
import io.berth.events.EventCodec;
import io.berth.events.log.LogLine;
import io.berth.logcollector.cri.CriLine;
import io.berth.logcollector.cri.CriParser;
import io.berth.logcollector.cri.JoinedLine;
import io.berth.logcollector.cri.PartialJoiner;
import io.berth.logcollector.cri.Timestamps;
import io.berth.logcollector.line.LevelDetector;
import io.berth.logcollector.line.LineInterpreter;
import io.berth.logcollector.line.TextSanitizer;
import io.berth.logcollector.ship.LogLineEncoder;
import io.berth.logcollector.source.InstanceInfo;
import io.berth.logcollector.source.KubernetesLayout;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure parts: CRI parsing, line joining, text cleaning, level and JSON detection, encoding. */
class PureFunctionsTest {
    static final InstanceInfo WEB = new InstanceInfo("web", "team-a", "web-1-abcde", 3);

    static CriLine parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return CriParser.parse(b, 0, b.length, 42L);
    }

    static String text(JoinedLine line) {
        return new String(line.bytes(), line.from(), line.to() - line.from(), StandardCharsets.UTF_8);
    }

    @Test
    void timestampsAsCriWritersPrintThem() {
        for (String t : List.of("2026-11-22T03:12:09.994456529Z", "2026-11-22T03:12:09Z", "2024-02-29T23:59:59.5Z",
                "1970-01-01T00:00:00.000000001Z", "2026-11-22T03:12:09.994456529+02:00", "2026-01-01T00:00:00.123Z")) {
            byte[] b = t.getBytes(StandardCharsets.US_ASCII);
            Instant expected = java.time.OffsetDateTime.parse(t).toInstant();
            assertEquals(expected, Timestamps.toInstant(Timestamps.parseNanos(b, 0, b.length)), t);
        }
        byte[] junk = "2026-13-45T99:99:99Z".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Long.MIN_VALUE, Timestamps.parseNanos(junk, 0, junk.length));
    }

    @Test
    void aCriLineHasTimeStreamTagAndContent() {
        CriLine line = parse("2026-11-22T03:12:09.994456529Z stderr P hello world");
        assertEquals(CriLine.Stream.STDERR, line.stream());
        assertTrue(line.partial());
        assertFalse(line.malformed());
        assertEquals(Instant.parse("2026-11-22T03:12:09.994456529Z"), Timestamps.toInstant(line.epochNanos()));
        assertEquals("hello world", new String(line.buffer(), line.contentStart(), line.contentLength(), StandardCharsets.UTF_8));

        assertEquals(0, parse("2026-11-22T03:12:09Z stdout F ").contentLength());
        assertEquals(0, parse("2026-11-22T03:12:09Z stdout F").contentLength());
        assertFalse(parse("2026-11-22T03:12:09Z stdout F:x a").partial());
        assertEquals("  spaced ", contentOf(parse("2026-11-22T03:12:09Z stdout F   spaced ")));
    }

    static String contentOf(CriLine line) {
        return new String(line.buffer(), line.contentStart(), line.contentLength(), StandardCharsets.UTF_8);
    }

    @Test
    void aLineWithoutACriHeaderIsKeptWhole() {
        for (String foreign : List.of("just text", "2026-11-22T03:12:09Z stdin F x", "2026-11-22T03:12:09Z stdout X x",
                "", "not-a-time stdout F x")) {
            CriLine line = parse(foreign);
            assertTrue(line.malformed(), foreign);
            assertEquals(42L, line.epochNanos());
            assertEquals(foreign, contentOf(line));
        }
    }

    @Test
    void partialPiecesJoinUpToTheirFullPiecePerStream() {
        PartialJoiner joiner = new PartialJoiner(1000);
        assertNull(joiner.accept(parse("2026-11-22T03:12:09Z stdout P hel"), 0, false));
        assertEquals(0, joiner.oldestPendingStart());
        // a stderr line completes in between: its checkpoint may not pass the pending stdout piece
        JoinedLine err = joiner.accept(parse("2026-11-22T03:12:10Z stderr F oops"), 40, false);
        assertEquals("oops", text(err));
        assertEquals(0, joiner.oldestPendingStart());
        assertNull(joiner.accept(parse("2026-11-22T03:12:11Z stdout P lo "), 80, false));
        JoinedLine out = joiner.accept(parse("2026-11-22T03:12:12Z stdout F world"), 120, false);
        assertEquals("hello world", text(out));
        assertEquals(CriLine.Stream.STDOUT, out.stream());
        // the time of a joined line is the time of its first piece
        assertEquals(Instant.parse("2026-11-22T03:12:09Z"), Timestamps.toInstant(out.epochNanos()));
        assertFalse(out.truncated());
        assertEquals(Long.MAX_VALUE, joiner.oldestPendingStart());
    }

    @Test
    void aLineSplitByARotationGoesOnInTheNextFilesJoiner() {
        // conmon rotated between two pieces: the P pieces end the old file, the F piece starts the new one
        PartialJoiner old = new PartialJoiner(1000);
        assertNull(old.accept(parse("2026-11-22T03:12:09Z stdout P hel"), 100, false));
        assertNull(old.accept(parse("2026-11-22T03:12:09.5Z stderr P ba"), 140, false));
        assertNull(old.accept(parse("2026-11-22T03:12:10Z stdout P lo "), 180, false));
        List<PartialJoiner.Unfinished> unfinished = old.unfinished();
        assertEquals(List.of(CriLine.Stream.STDOUT, CriLine.Stream.STDERR),
                unfinished.stream().map(PartialJoiner.Unfinished::stream).toList(), "oldest first");

        PartialJoiner fresh = new PartialJoiner(1000);
        fresh.resume(unfinished, 0);
        // nothing of the new file may be checkpointed before the lines it took over end
        assertEquals(0, fresh.oldestPendingStart());
        JoinedLine out = fresh.accept(parse("2026-11-22T03:12:11Z stdout F world"), 0, false);
        assertEquals("hello world", text(out));
        assertEquals(Instant.parse("2026-11-22T03:12:09Z"), Timestamps.toInstant(out.epochNanos()));
        assertEquals(0, fresh.oldestPendingStart(), "stderr is still in pieces");
        assertEquals("bad", text(fresh.accept(parse("2026-11-22T03:12:11Z stderr F d"), 40, false)));
        assertEquals(Long.MAX_VALUE, fresh.oldestPendingStart());

        // a file nobody continues: its unfinished lines end as they are
        List<JoinedLine> flushed = old.flush();
        assertEquals(List.of("hello ", "ba"), flushed.stream().map(PureFunctionsTest::text).toList());
        assertEquals(Long.MAX_VALUE, old.oldestPendingStart());
        assertTrue(old.flush().isEmpty());
    }

    @Test
    void aJoinedLineIsCutAtTheMaximum() {
        PartialJoiner joiner = new PartialJoiner(10);
        assertNull(joiner.accept(parse("2026-11-22T03:12:09Z stdout P 0123456"), 0, false));
        JoinedLine line = joiner.accept(parse("2026-11-22T03:12:09Z stdout F 789abcdef"), 40, false);
        assertEquals("0123456789", text(line));
        assertTrue(line.truncated());
        JoinedLine single = joiner.accept(parse("2026-11-22T03:12:09Z stdout F 0123456789abc"), 80, false);
        assertEquals("0123456789", text(single));
        assertTrue(single.truncated());
        assertFalse(joiner.accept(parse("2026-11-22T03:12:09Z stdout F 0123456789"), 120, false).truncated());
    }

    @Test
    void sanitizingReplacesInvalidUtf8AndControlsAndStripsAnsi() {
        byte[] invalid = {'a', (byte) 0xC3, 'b', (byte) 0xFF, (byte) 0xFE, 'c'};
        String cleaned = TextSanitizer.sanitize(invalid, 0, invalid.length);
        assertEquals("a\uFFFDb\uFFFD\uFFFDc", cleaned);
        byte[] binary = {0, 1, 2, 'x', 0x7F, '\t', 'y'};
        assertEquals("\uFFFD\uFFFD\uFFFDx\uFFFD\ty", TextSanitizer.sanitize(binary, 0, binary.length));
        String ansi = "\u001B[31mERROR\u001B[0m done \u001B]0;title\u0007ok \u001B[1;32;40mgreen\u001B[K";
        byte[] bytes = ansi.getBytes(StandardCharsets.UTF_8);
        assertEquals("ERROR done ok green", TextSanitizer.sanitize(bytes, 0, bytes.length));
        byte[] utf8 = "héllo 世界 🚀".getBytes(StandardCharsets.UTF_8);
        assertEquals("héllo 世界 🚀", TextSanitizer.sanitize(utf8, 0, utf8.length));
    }

    @Test
    void levelsAsPeopleWriteThem() {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("ERROR something broke", "ERROR");
        cases.put("[WARN] disk almost full", "WARN");
        cases.put("2026-11-22 03:12:09,123 INFO  [main] started", "INFO");
        cases.put("2026-11-22T03:12:09.991997706Z INFO listening on 127.0.0.1:20002", "INFO");
        cases.put("03:12:09.123 [main] DEBUG io.berth.Foo - hi", "DEBUG");
        cases.put("WARNING:root:careful", "WARN");
        cases.put("TRACE: entering", "TRACE");
        cases.put("time=2026-11-22T03:12:09Z level=error msg=\"boom\"", "ERROR");
        cases.put("ts=1 lvl=warn caller=x", "WARN");
        cases.put("E1122 03:12:09.123456   12345 main.go:42] failed", "ERROR");
        cases.put("I1122 03:12:09.123456   12345 main.go:42] ok", "INFO");
        cases.put("SEVERE: out of memory", "ERROR");
        cases.put("FATAL cannot continue", "FATAL");
        cases.put("an error occurred while connecting", null);
        cases.put("hello world", null);
        cases.put("", null);
        cases.forEach((line, level) -> assertEquals(level, LevelDetector.detect(line), line));
    }

    static JoinedLine joined(String text, CriLine.Stream stream, boolean truncated) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new JoinedLine(1_700_000_000_123_456_789L, stream, b, 0, b.length, truncated, false);
    }

    @Test
    void jsonLinesKeepTheirFieldsAndGiveMessageAndLevel() {
        LogLine line = LineInterpreter.interpret(joined(
                "{\"level\":\"warn\",\"msg\":\"slow \\u001b[1mquery\",\"ms\":1200,\"user\":{\"id\":7}}",
                CriLine.Stream.STDOUT, false), WEB);
        assertEquals("WARN", line.level());
        assertEquals("slow query", line.message());
        assertEquals(1200, line.fields().get("ms"));
        assertEquals(Map.of("id", 7), line.fields().get("user"));
        assertEquals("warn", line.fields().get("level"));
        assertFalse(line.fields().containsKey("msg"));
        assertEquals("web", line.app());
        assertEquals("team-a", line.team());
        assertEquals(3, line.release());
        assertEquals("web-1-abcde", line.instance());
        assertEquals(Instant.parse("2023-11-14T22:13:20.123456789Z"), line.time());

        LogLine pino = LineInterpreter.interpret(joined("{\"level\":50,\"message\":\"db down\"}", CriLine.Stream.STDOUT,
                false), WEB);
        assertEquals("ERROR", pino.level());
        assertEquals("db down", pino.message());

        LogLine noMessage = LineInterpreter.interpret(joined("{\"a\":1}", CriLine.Stream.STDOUT, false), WEB);
        assertEquals("{\"a\":1}", noMessage.message());
        assertEquals("INFO", noMessage.level());
    }

    @Test
    void brokenJsonIsText() {
        for (String broken : List.of("{\"level\":\"error\",\"msg\":", "{not json}", "{\"a\":1}}", "{" + "[".repeat(5000) + "}")) {
            LogLine line = LineInterpreter.interpret(joined(broken, CriLine.Stream.STDOUT, false), WEB);
            assertEquals(broken, line.message());
            assertTrue(line.fields().isEmpty(), broken);
        }
    }

    @Test
    void theStreamIsNotALevel() {
        assertEquals("INFO", LineInterpreter.interpret(joined("plain", CriLine.Stream.STDOUT, false), WEB).level());
        // stderr without a level word is INFO too, not ERROR: the stream field says stderr
        LogLine err = LineInterpreter.interpret(joined("\tat x.y(Z.java:1)", CriLine.Stream.STDERR, false), WEB);
        assertEquals("INFO", err.level());
        assertEquals("stderr", err.stream());
        assertEquals("INFO", LineInterpreter.interpret(joined("Downloading 42%", CriLine.Stream.STDERR, false), WEB).level());
        assertEquals("INFO", LineInterpreter.interpret(joined("{\"msg\":\"no level key\"}", CriLine.Stream.STDERR, false), WEB)
                .level());
        // a level the line states wins on either stream
        assertEquals("DEBUG", LineInterpreter.interpret(joined("DEBUG x", CriLine.Stream.STDERR, false), WEB).level());
        assertEquals("ERROR", LineInterpreter.interpret(joined("ERROR x", CriLine.Stream.STDERR, false), WEB).level());
        assertEquals("ERROR", LineInterpreter.interpret(joined("ERROR x", CriLine.Stream.STDOUT, false), WEB).level());
        assertEquals("WARN", LineInterpreter.interpret(joined("WARNING:root:careful", CriLine.Stream.STDERR, false), WEB).level());
    }

    @Test
    void aTruncatedLineSaysSo() {
        LogLine line = LineInterpreter.interpret(joined("{\"msg\":\"cut he", CriLine.Stream.STDOUT, true), WEB);
        assertEquals(Boolean.TRUE, line.fields().get(LineInterpreter.TRUNCATED));
        assertEquals("{\"msg\":\"cut he", line.message());
    }

    @Test
    void theEncoderWritesWhatEventCodecReads() {
        LogLine line = LineInterpreter.interpret(joined("{\"level\":\"info\",\"msg\":\"hi ✓\",\"n\":[1,2]}",
                CriLine.Stream.STDERR, false), WEB);
        byte[] bytes = new LogLineEncoder().encode(line, "web-1-abcde:1:2:100:5");
        CloudEvent event = EventCodec.fromBytes(bytes);
        assertEquals(line, event.data());
        assertEquals("io.berth.LogLine", event.type());
        assertEquals("web", event.subject());
        assertEquals("web-1-abcde:1:2:100:5", event.id());
        assertEquals("urn:io.berth:schema:LogLine:v1", event.dataschema().toString());
        // byte for byte what EventCodec writes for the same envelope
        CloudEvent same = new CloudEvent(event.specversion(), event.id(), event.source(), event.type(), event.time(),
                event.subject(), event.dataschema(), event.datacontenttype(), line);
        assertEquals(EventCodec.toJson(same), new String(bytes, StandardCharsets.UTF_8));

        LogLine plain = new LogLine("web", null, "i", 0, Instant.EPOCH, "stdout", "INFO", "x", Map.of());
        assertEquals(plain, EventCodec.fromBytes(new LogLineEncoder().encode(plain, "id")).data());

        LogLineEncoder encoder = new LogLineEncoder();
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("nested", Map.of("k", List.of(1, "two", true)));
        fields.put("ctl", "tab\there\nnew \u0001 \"q\" \\ é 世 🚀");
        for (String message : List.of("plain", "quote \" backslash \\ slash /", "tab\t nl\n cr\r bs\b ff\f \u0000 \u001f \u007f",
                "é 世界 🚀 \uFFFD", "lone \uD800 surrogate \uDC00", "x".repeat(70_000) + "\"".repeat(10_000))) {
            for (Instant time : List.of(Instant.EPOCH, Instant.parse("2026-11-22T03:12:09.994456529Z"),
                    Instant.parse("2026-11-22T03:12:09.100Z"), Instant.parse("2026-11-22T03:12:09.123456Z"),
                    Instant.parse("0999-01-01T00:00:00.000000001Z"), Instant.parse("+12000-01-01T00:00:00Z"))) {
                for (Map<String, Object> f : List.<Map<String, Object>>of(Map.of(), fields)) {
                    LogLine l = new LogLine("web", "team \"a\"", "web-1", 7, time, "stderr", "WARN", message, f);
                    CloudEvent expected = new CloudEvent(CloudEvent.SPEC_VERSION, "id:1", URI.create("/berth/log-collector"),
                            "io.berth.LogLine", time, "web", URI.create("urn:io.berth:schema:LogLine:v1"),
                            CloudEvent.CONTENT_TYPE, l);
                    assertEquals(EventCodec.toJson(expected), new String(encoder.encode(l, "id:1"), StandardCharsets.UTF_8),
                            message.length() > 50 ? "long message" : message + " " + time);
                }
            }
        }
    }

    @Test
    void kubernetesPathsNameAppAndPod() {
        KubernetesLayout layout = new KubernetesLayout();
        Path root = Path.of("/var/log/pods");
        assertEquals(new InstanceInfo("hello", "berth", "hello-7d9f8b6c5-x2x9k", 0), layout.identify(root,
                root.resolve("berth_hello-7d9f8b6c5-x2x9k_0b1c-22/app/0.log")).orElseThrow());
        assertEquals("standalone", layout.identify(root, root.resolve("ns_standalone_uid/c/1.log")).orElseThrow().app());
        assertTrue(layout.identify(root, root.resolve("ns_pod_uid/c/0.log.20261122-031209")).isEmpty());
        assertTrue(layout.identify(root, root.resolve("bad/c/0.log")).isEmpty());
    }
}

package io.berth.logcollector;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.KafkaEvents;
import io.berth.common.testing.TestAuth;
import io.berth.events.CloudEvent;
import io.berth.events.Topics;
import io.berth.events.deployment.AppCreated;
import io.berth.events.deployment.AppDeleted;
import io.berth.events.log.LogLine;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The running collector tails target/test-logs (the agent's layout) into the real Kafka broker;
 * each test writes CRI files of an app of its own and reads that app's topic back.
 */
@QuarkusTest
class LogCollectorServiceTest {
    static final Path LOGS = Path.of("target/test-logs");
    static final Path INSTANCES = Path.of("target/test-instances");
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Pattern SEQ = Pattern.compile("seq=(\\d+)");

    @Inject
    LogCollector collector;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    static final List<String> APPS = new java.util.concurrent.CopyOnWriteArrayList<>();

    static String newApp(String what) {
        String app = what + "-" + UUID.randomUUID().toString().substring(0, 8);
        APPS.add(app);
        return app;
    }

    /** The tests' topics are their own: delete them, so the platform's indexer does not keep them. */
    @org.junit.jupiter.api.AfterEach
    void deleteTopics() throws Exception {
        for (String app : APPS) {
            Path dir = LOGS.resolve(app);
            if (Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path file : files.toList()) {
                        Files.deleteIfExists(file);
                    }
                }
                Files.deleteIfExists(dir);
            }
            collector.topics().delete(app);
        }
        APPS.clear();
    }

    TopicReader read(String app) {
        return new TopicReader(bootstrap, Topics.logs(app));
    }

    static Set<Integer> seqs(List<LogLine> lines) {
        return lines.stream().map(l -> SEQ.matcher(l.message())).filter(Matcher::find)
                .map(m -> Integer.parseInt(m.group(1))).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<Integer> range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void readinessAsksKafkaAndTheLogDirectory() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'log directory' }.status", equalTo("UP"));
    }

    @Test
    void exactlyTheLinesWrittenLandOnTheAppsTopicKeyedByInstanceWithItsMetadata() throws Exception {
        String app = newApp("count");
        String instance = app + "-4-xyz12";
        Files.createDirectories(INSTANCES.resolve(instance));
        Files.writeString(INSTANCES.resolve(instance).resolve("spec.json"), "{\"id\":\"" + instance + "\",\"app\":\""
                + app + "\",\"team\":\"team-z\",\"release\":4,\"labels\":{\"berth.io/team\":\"team-z\"}}");
        int n = 20_000;
        try (CriWriter writer = new CriWriter(LOGS.resolve(app).resolve(instance + ".log"))) {
            for (int i = 0; i < n; i++) {
                writer.line(i % 10 == 0 ? "stderr" : "stdout", "INFO request seq=" + i + " path=/x");
            }
        }
        try (TopicReader reader = read(app)) {
            var records = reader.readUntil(r -> r.size() >= n, WAIT);
            reader.lines(n, Duration.ZERO);
            List<LogLine> lines = records.stream().map(r -> (LogLine) r.value().data()).toList();
            assertEquals(n, lines.size(), "exactly one record per line");
            assertEquals(range(0, n), seqs(lines));
            records.forEach(r -> assertEquals(instance, r.key()));
            LogLine first = lines.get(0);
            assertEquals("team-z", first.team());
            assertEquals(4, first.release());
            assertEquals(app, first.app());
            assertEquals("INFO", first.level());
            assertEquals("stderr", lines.stream().filter(l -> l.message().contains("seq=10 ")).findFirst().orElseThrow().stream());
            // one instance's lines stay in order on its partition
            int previous = -1;
            for (LogLine line : lines) {
                int seq = seqs(List.of(line)).iterator().next();
                assertTrue(seq > previous, "order: " + seq + " after " + previous);
                previous = seq;
            }
        }
        given().auth().oauth2(TestAuth.ADMIN_TOKEN).get("/q/metrics").then().statusCode(200)
                .body(containsString("berth_logcollector_lines_sent_total"))
                .body(containsString("berth_logcollector_lag_bytes{app=\"" + app + "\""))
                .body(containsString("berth_logcollector_files_tailed"));
    }

    @Test
    void partialPiecesArriveAsOneLine() throws Exception {
        String app = newApp("partial");
        String big = "x".repeat(16 * 1024);
        try (CriWriter writer = new CriWriter(LOGS.resolve(app).resolve(app + "-1-aaaaa.log"))) {
            writer.partial("stdout", "{\"level\":\"error\",\"msg\":\"");
            writer.line("stderr", "WARN interleaved seq=1");
            writer.partial("stdout", big);
            writer.line("stdout", "end\",\"seq\":0}");
        }
        try (TopicReader reader = read(app)) {
            List<LogLine> lines = reader.lines(2, WAIT);
            assertEquals(2, lines.size(), lines.toString());
            LogLine warn = lines.stream().filter(l -> l.stream().equals("stderr")).findFirst().orElseThrow();
            assertEquals("WARN", warn.level());
            LogLine joined = lines.stream().filter(l -> l.stream().equals("stdout")).findFirst().orElseThrow();
            assertEquals(big + "end", joined.message());
            assertEquals("ERROR", joined.level());
            assertEquals(0, joined.fields().get("seq"));
        }
    }

    @Test
    void hostileLinesAreShippedSafelyAndDoNotStopThePipeline() throws Exception {
        String app = newApp("hostile");
        try (CriWriter writer = new CriWriter(LOGS.resolve(app).resolve(app + "-1-bbbbb.log"))) {
            ByteArrayOutputStream binary = new ByteArrayOutputStream();
            binary.write((Instant.now() + " stdout F seq=0 binary ").getBytes(StandardCharsets.UTF_8));
            for (int b = 0; b < 256; b++) {
                if (b != '\n') {
                    binary.write(b);
                }
            }
            binary.write('\n');
            writer.raw(binary.toByteArray());
            writer.raw((Instant.now() + " stdout F seq=1 invalid \u0000").getBytes(StandardCharsets.UTF_8));
            writer.raw(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xF0, (byte) 0x28, (byte) 0x8C, '\n'});
            // a 1 MB line in one physical line (a writer that is not the shim) and one in 16 KiB pieces (the shim)
            writer.line("stdout", "seq=2 " + "a".repeat(1024 * 1024));
            String mb = "seq=3 " + "b".repeat(1024 * 1024);
            for (int i = 0; i < mb.length(); i += 16 * 1024) {
                String piece = mb.substring(i, Math.min(mb.length(), i + 16 * 1024));
                if (i + 16 * 1024 < mb.length()) {
                    writer.partial("stdout", piece);
                } else {
                    writer.line("stdout", piece);
                }
            }
            writer.line("stdout", "{\"msg\": \"seq=4 broken json\", ");
            writer.line("stdout", "\u001B[1;31mERROR\u001B[0m seq=5 \u001B[32mcoloured\u001B[0m");
            writer.raw("no CRI header at all seq=6\n".getBytes(StandardCharsets.UTF_8));
            writer.line("stdout", "seq=7 still flowing after all that");
        }
        try (TopicReader reader = read(app)) {
            List<LogLine> lines = reader.lines(8, WAIT);
            assertEquals(range(0, 8), seqs(lines));
            assertEquals(8, lines.size());
            Map<Integer, LogLine> bySeq = lines.stream().collect(Collectors.toMap(l -> seqs(List.of(l)).iterator().next(), l -> l));
            assertTrue(bySeq.get(0).message().chars().noneMatch(c -> c < 0x20 && c != '\t'), "no control characters");
            assertTrue(bySeq.get(1).message().contains("\uFFFD"));
            for (int seq : List.of(2, 3)) {
                LogLine cut = bySeq.get(seq);
                assertEquals(Boolean.TRUE, cut.fields().get("truncated"), "seq " + seq);
                assertTrue(cut.message().getBytes(StandardCharsets.UTF_8).length <= 65536, "seq " + seq);
                assertTrue(cut.message().length() > 60_000, "seq " + seq);
            }
            assertEquals("{\"msg\": \"seq=4 broken json\", ", bySeq.get(4).message());
            assertEquals("ERROR seq=5 coloured", bySeq.get(5).message());
            assertEquals("ERROR", bySeq.get(5).level());
            assertEquals(Boolean.TRUE, bySeq.get(6).fields().get("malformed"));
        }
    }

    @Test
    void aRotatedFileIsFinishedAndTheNewOneReadFromItsStart() throws Exception {
        String app = newApp("rotate");
        Path file = LOGS.resolve(app).resolve(app + "-1-ccccc.log");
        try (TopicReader reader = read(app)) {
            CriWriter old = new CriWriter(file);
            for (int i = 0; i < 1000; i++) {
                old.line("stdout", "seq=" + i);
            }
            reader.readUntil(r -> r.size() >= 1, WAIT);
            // logrotate's create mode: rename, new file at the path; the writer still has the old one open
            Files.move(file, file.resolveSibling(file.getFileName() + ".1"));
            try (CriWriter fresh = new CriWriter(file)) {
                for (int i = 1000; i < 2000; i++) {
                    old.line("stdout", "seq=" + i);
                    fresh.line("stdout", "seq=" + (i + 1000));
                }
            }
            old.close();
            List<LogLine> lines = reader.lines(3000, WAIT);
            assertEquals(range(0, 3000), seqs(lines));
            assertEquals(3000, lines.size());
        }
    }

    @Test
    void conmonsRotationsLoseNoLineAndKeepTheOrderOnTheTopic() throws Exception {
        String app = newApp("conmon");
        Path file = LOGS.resolve(app).resolve(app + "-1-ggggg.log");
        int n = 5000;
        // rotations are slower than the collector notices new files (see the README's worst case)
        ConmonWriter.Rotated tailed = path -> {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!collector.tailer().files().containsKey(io.berth.logcollector.tail.FileKey.of(path))) {
                assertTrue(System.nanoTime() < deadline, "the new file is not tailed");
                Thread.sleep(5);
            }
        };
        try (TopicReader reader = read(app); ConmonWriter writer = new ConmonWriter(file, 8 * 1024).onRotation(tailed)) {
            // the app is new: its file is held open while its topic is created, so a rotation meanwhile loses nothing
            tailed.rotated(file);
            for (int i = 0; i < n; i++) {
                if (i % 100 == 7) {
                    // a line printed in two writes: a rotation may fall between its P and F pieces
                    writer.write("stdout", ("INFO seq=" + i + " first").getBytes(StandardCharsets.UTF_8));
                    writer.write("stdout", (" and last\n").getBytes(StandardCharsets.UTF_8));
                } else {
                    writer.line(i % 3 == 0 ? "stderr" : "stdout", "seq=" + i + " " + "z".repeat(i % 80));
                }
            }
            assertTrue(writer.rotations() >= 40, "rotations: " + writer.rotations());
            List<LogLine> lines = reader.lines(n, WAIT);
            assertEquals(n, lines.size(), "exactly one record per line");
            // one instance, one key, one partition: the topic holds them in the order they were written
            assertEquals(java.util.stream.IntStream.range(0, n).boxed().toList(),
                    lines.stream().map(l -> seqs(List.of(l)).iterator().next()).toList());
            lines.stream().filter(l -> l.message().contains(" first")).forEach(l -> assertTrue(
                    l.message().endsWith(" first and last"), "joined across the rotation: " + l.message()));
            // stderr without a level word is not an error
            assertEquals(Set.of("INFO"), lines.stream().map(LogLine::level).collect(Collectors.toSet()));
        }
    }

    @Test
    void aTruncatedFileIsReadAgainFromItsStart() throws Exception {
        String app = newApp("truncate");
        Path file = LOGS.resolve(app).resolve(app + "-1-ddddd.log");
        try (TopicReader reader = read(app)) {
            try (CriWriter writer = new CriWriter(file)) {
                for (int i = 0; i < 500; i++) {
                    writer.line("stdout", "seq=" + i + " before the truncation " + "p".repeat(50));
                }
            }
            reader.readUntil(r -> r.size() >= 500, WAIT);
            // copytruncate
            Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
            try (CriWriter writer = new CriWriter(file)) {
                for (int i = 500; i < 600; i++) {
                    writer.line("stdout", "seq=" + i);
                }
            }
            reader.readUntil(r -> r.size() >= 600, WAIT);
            // truncated and at once written past the old read position: only the first bytes show it
            StringBuilder longer = new StringBuilder();
            for (int i = 600; i < 1600; i++) {
                longer.append(Instant.now()).append(" stdout F seq=").append(i).append(" after the rewrite\n");
            }
            Files.writeString(file, longer, StandardOpenOption.TRUNCATE_EXISTING);
            List<LogLine> lines = reader.lines(1600, WAIT);
            assertEquals(range(0, 1600), seqs(lines));
            assertEquals(1600, lines.size());
        }
    }

    @Test
    void aDeletedFileIsReadToItsEndThenForgotten() throws Exception {
        String app = newApp("delete");
        Path file = LOGS.resolve(app).resolve(app + "-1-eeeee.log");
        try (TopicReader reader = read(app); CriWriter writer = new CriWriter(file)) {
            for (int i = 0; i < 100; i++) {
                writer.line("stdout", "seq=" + i);
            }
            reader.readUntil(r -> r.size() >= 1, WAIT);
            Files.delete(file);
            // the writer (like an instance still stopping) goes on writing into the unlinked file
            for (int i = 100; i < 1100; i++) {
                writer.line("stdout", "seq=" + i);
            }
            List<LogLine> lines = reader.lines(1100, WAIT);
            assertEquals(range(0, 1100), seqs(lines));
            assertEquals(1100, lines.size());
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (collector.tailer().files().values().stream().anyMatch(f -> f.instance().app().equals(app))) {
            assertTrue(System.nanoTime() < deadline, "the deleted file is still tailed");
            Thread.sleep(100);
        }
    }

    @Test
    void appCreatedMakesTheTopicAndAppDeletedRetiresIt() throws Exception {
        String app = newApp("topic");
        long deadline = System.nanoTime() + WAIT.toNanos();
        // the test's consumer group starts at the end: publish until it has seen the event
        while (!collector.topics().exists(app)) {
            assertTrue(System.nanoTime() < deadline, "no topic for " + app);
            KafkaEvents.publish(Topics.DEPLOYMENTS, CloudEvent.of("/test", new AppCreated(app, "team-a")));
            Thread.sleep(1000);
        }
        assertEquals(String.valueOf(Duration.ofDays(7).toMillis()),
                collector.topics().retention(List.of(app)).get(Topics.logs(app)));
        assertEquals(3, collector.topics().partitions(app));

        KafkaEvents.publish(Topics.DEPLOYMENTS, CloudEvent.of("/test", new AppDeleted(app, "team-a")));
        String keep = String.valueOf(Duration.ofSeconds(2).toMillis());
        while (!keep.equals(collector.topics().retention(List.of(app)).get(Topics.logs(app)))) {
            assertTrue(System.nanoTime() < deadline, "retention not lowered");
            Thread.sleep(200);
        }
        // the topic is due 2 s after the collector lowered its retention, a moment after this test saw
        // it; sweep (as the collector's own minutely sweep would) until it is deleted
        Thread.sleep(2000);
        long sweepUntil = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        do {
            collector.topicPolicy().sweep();
            if (!collector.topics().exists(app)) {
                break;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < sweepUntil);
        assertTrue(!collector.topics().exists(app), "deleted after keep-after-delete");
    }

    @Test
    void aLogFileOfANewAppCreatesItsTopic() throws Exception {
        String app = newApp("firstsight");
        try (CriWriter writer = new CriWriter(LOGS.resolve(app).resolve(app + "-1-fffff.log"))) {
            writer.line("stdout", "seq=0 hello");
        }
        try (TopicReader reader = read(app)) {
            assertEquals(1, reader.lines(1, WAIT).size());
        }
        assertEquals(3, collector.topics().partitions(app));
    }

    @Test
    void everyEndpointButHealthRefusesACallWithoutTheToken() {
        io.berth.common.testing.EveryEndpoint.requiresAToken();
    }
}

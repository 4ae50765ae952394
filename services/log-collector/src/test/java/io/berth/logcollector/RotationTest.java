package io.berth.logcollector;

import static io.berth.logcollector.RecordingCollector.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.logcollector.RecordingCollector.Shipped;
import io.berth.logcollector.checkpoint.Checkpoint;
import io.berth.logcollector.tail.FileKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rotation the way conmon does it (write, rename a new file over the path, write on), copytruncate,
 * and restarts in the middle of them, on real files with the collector's real tailer; the sink
 * records what would go to Kafka. Each test says which lines arrive: every line once and in
 * order, except where the test names what is lost (a file unlinked before it was read).
 */
class RotationTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    Path logs;
    Path file;

    @BeforeEach
    void files() throws Exception {
        Path root = Files.createDirectories(Path.of("target/rotation-tests").toAbsolutePath())
                .resolve(UUID.randomUUID().toString().substring(0, 8));
        logs = root.resolve("logs");
        file = logs.resolve("shop").resolve("shop-1-abcde.log");
    }

    static List<String> seqs(String prefix, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> prefix + "seq=" + i).toList();
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    static void writeAll(ConmonWriter writer, List<String> lines) throws Exception {
        for (String line : lines) {
            writer.line("stdout", line);
        }
    }

    /** Waits until the collector tails the file now at the path (a rotation is slower than that). */
    static ConmonWriter.Rotated openedBy(RecordingCollector collector) {
        return path -> await("the new file opened", WAIT, () -> {
            try {
                return collector.tails(FileKey.of(path));
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    /** Long lines as their head and length, so that a failure stays readable. */
    static List<String> shortened(List<String> messages) {
        return messages.stream().map(m -> m.length() <= 80 ? m : m.substring(0, 40) + "...(" + m.length() + ")")
                .toList();
    }

    static void assertOnceEach(List<Shipped> shipped) {
        Set<String> ids = new HashSet<>();
        for (Shipped s : shipped) {
            assertTrue(ids.add(s.id()), "shipped twice: " + s);
        }
    }

    /** Waits for {@code count} lines, then a little longer for any extra. */
    static void awaitQuiet(RecordingCollector collector, int count) throws InterruptedException {
        try {
            await(count + " lines", WAIT, () -> collector.count() >= count);
        } catch (AssertionError e) {
            List<String> got = shortened(collector.messages());
            throw new AssertionError(e.getMessage() + "; got " + got.size() + ", the first: "
                    + got.subList(0, Math.min(5, got.size())), e);
        }
        Thread.sleep(700);
    }

    @Test
    void everyLineArrivesOnceAndInOrderThroughHundredsOfConmonRotations() throws Exception {
        try (RecordingCollector collector = RecordingCollector.start(logs, List.of());
                ConmonWriter writer = new ConmonWriter(file, 4096).onRotation(openedBy(collector))) {
            // the first file too: one rotated away before the collector opened it would be lost
            openedBy(collector).rotated(file);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                String line;
                if (i % 97 == 5) {
                    // longer than conmon's 8 KiB pipe read and than max-size: P pieces, a rotation before each
                    line = "seq=" + i + " " + "x".repeat(20_000);
                    writer.line("stdout", line);
                } else if (i % 13 == 0) {
                    // printed in two writes: a P piece, then the rest (a rotation may fall in between)
                    line = "seq=" + i + " first half, second half";
                    writer.write("stdout", ("seq=" + i + " first half,").getBytes(StandardCharsets.UTF_8));
                    writer.write("stdout", " second half\n".getBytes(StandardCharsets.UTF_8));
                } else {
                    line = "seq=" + i + " " + "y".repeat(i % 50);
                    writer.line("stdout", line);
                }
                expected.add(line);
            }
            assertTrue(writer.rotations() > 100, "rotations: " + writer.rotations());
            awaitQuiet(collector, expected.size());
            assertEquals(shortened(expected), shortened(collector.messages()), "every line once, whole, in order");
            assertOnceEach(collector.shipped());
            // the rotated-away files are closed once drained and acknowledged
            await("old files closed", WAIT, () -> collector.filesOpen() == 1);
        }
    }

    @Test
    void aLineSplitByARotationIsShippedWholeAndTheOldFileClosedAfterIt() throws Exception {
        try (RecordingCollector collector = RecordingCollector.start(logs, List.of());
                ConmonWriter writer = new ConmonWriter(file, 0).onRotation(openedBy(collector))) {
            writer.line("stdout", "seq=0");
            await("seq=0", WAIT, () -> collector.count() == 1);
            writer.write("stdout", "seq=1 head ".getBytes(StandardCharsets.UTF_8));
            writer.write("stderr", "seq=2 err ".getBytes(StandardCharsets.UTF_8));
            writer.rotate();
            writer.write("stdout", "tail\n".getBytes(StandardCharsets.UTF_8));
            writer.line("stdout", "seq=3");
            writer.write("stderr", "end\n".getBytes(StandardCharsets.UTF_8));
            awaitQuiet(collector, 4);
            assertEquals(List.of("seq=0", "seq=1 head tail", "seq=3", "seq=2 err end"), collector.messages());
            assertEquals("stderr", collector.shipped().get(3).stream());
            await("the old file closed", WAIT, () -> collector.filesOpen() == 1);
        }
    }

    @Test
    void aRestartAfterAConmonRotationLosesOnlyTheUnreadTailOfTheUnlinkedFile() throws Exception {
        RecordingCollector first = RecordingCollector.start(logs, List.of());
        List<Checkpoint> checkpoints;
        try (ConmonWriter writer = new ConmonWriter(file, 0)) {
            writeAll(writer, seqs("a ", 0, 300));
            await("300 lines", WAIT, () -> first.count() == 300);
            checkpoints = first.stop();
            // while the collector is down: more lines, a rotation (the old file is unlinked), more lines
            writeAll(writer, seqs("a ", 300, 400));
            writer.rotate();
            writeAll(writer, seqs("b ", 0, 200));
        }
        try (RecordingCollector second = first.restart(logs, checkpoints, Duration.ofMillis(200))) {
            awaitQuiet(second, 500);
            // a 300..399 were in a file no longer on disk when the collector came back: lost, and nothing else
            assertEquals(concat(seqs("a ", 0, 300), seqs("b ", 0, 200)), second.messages());
            assertOnceEach(second.shipped());
            // the checkpoint of the vanished file is dropped
            assertEquals(List.of(FileKey.of(file)), second.checkpoints().stream()
                    .map(c -> new FileKey(c.dev(), c.ino())).toList());
        }
    }

    @Test
    void killedInTheMiddleOfARotationItRepeatsOnlyWhatCameAfterItsLastCheckpointUnderTheSameIds() throws Exception {
        RecordingCollector first = RecordingCollector.start(logs, List.of());
        List<Checkpoint> lastWritten;
        int beforeKill;
        try (ConmonWriter writer = new ConmonWriter(file, 0).onRotation(openedBy(first))) {
            writeAll(writer, seqs("a ", 0, 200));
            await("200 lines", WAIT, () -> first.count() == 200);
            writer.rotate();
            writeAll(writer, seqs("b ", 0, 100));
            await("300 lines", WAIT, () -> first.count() == 300);
            // the checkpoint file as a kill -9 finds it: written a moment before the lines that follow
            lastWritten = first.checkpoints();
            writeAll(writer, seqs("b ", 100, 200));
            await("400 lines", WAIT, () -> first.count() == 400);
            beforeKill = first.count();
            first.stop();
        }
        try (RecordingCollector second = first.restart(logs, lastWritten, Duration.ofMillis(200))) {
            awaitQuiet(second, beforeKill + 100);
            List<Shipped> all = second.shipped();
            List<Shipped> repeats = all.subList(beforeKill, all.size());
            assertEquals(seqs("b ", 100, 200), repeats.stream().map(Shipped::message).toList(),
                    "only the lines after the last checkpoint are sent again");
            assertEquals(all.subList(300, 400), repeats, "with the ids they had: a consumer keeps one copy");
            List<String> deduplicated = all.stream().collect(Collectors.toMap(Shipped::id, Shipped::message,
                    (x, y) -> x, java.util.LinkedHashMap::new)).values().stream().toList();
            assertEquals(concat(seqs("a ", 0, 200), seqs("b ", 0, 200)), deduplicated);
        }
    }

    @Test
    void restartedWithTheOldFileStillOnDiskItFinishesThatFileFirstAndJoinsTheLineTheRotationSplit()
            throws Exception {
        RecordingCollector first = RecordingCollector.start(logs, List.of());
        List<Checkpoint> checkpoints;
        try (ConmonWriter writer = new ConmonWriter(file, 0)) {
            writeAll(writer, seqs("a ", 0, 100));
            await("100 lines", WAIT, () -> first.count() == 100);
            checkpoints = first.stop();
            // while down: the kubelet's way, the file renamed aside and the writer told to reopen,
            // with a line in pieces across the two files
            writeAll(writer, seqs("a ", 100, 200));
            writer.write("stdout", "a seq=200 head ".getBytes(StandardCharsets.UTF_8));
            Files.move(file, file.resolveSibling(file.getFileName() + ".20261122-031209"));
            writer.rotate();
            writer.write("stdout", "and tail\n".getBytes(StandardCharsets.UTF_8));
            writeAll(writer, seqs("b ", 0, 100));
        }
        try (RecordingCollector second = first.restart(logs, checkpoints, Duration.ofMillis(200))) {
            awaitQuiet(second, 301);
            assertEquals(concat(seqs("a ", 0, 200), List.of("a seq=200 head and tail"), seqs("b ", 0, 100)),
                    second.messages());
            assertOnceEach(second.shipped());
        }
    }

    @Test
    void aSplitLineIsNotSentAgainWhenTheCheckpointStillHoldsTheOldFileBeforeIt() throws Exception {
        // the old file is kept open (and in the checkpoints, its offset before the pieces it handed
        // on) until the joined line is acknowledged; a long forget-after keeps it there past that
        RecordingCollector first = RecordingCollector.start(logs, List.of(), Duration.ofHours(1));
        Path aside = file.resolveSibling(file.getFileName() + ".1");
        List<Checkpoint> checkpoints;
        try (ConmonWriter writer = new ConmonWriter(file, 0).onRotation(openedBy(first))) {
            writeAll(writer, seqs("a ", 0, 10));
            writer.write("stdout", "a seq=10 head ".getBytes(StandardCharsets.UTF_8));
            await("10 lines", WAIT, () -> first.count() == 10);
            long oldSize = Files.size(file);
            FileKey old = FileKey.of(file);
            Files.move(file, aside);
            writer.rotate();
            writer.write("stdout", "and tail\n".getBytes(StandardCharsets.UTF_8));
            writeAll(writer, seqs("b ", 0, 10));
            awaitQuiet(first, 21);
            checkpoints = first.stop();
            Checkpoint ofOld = checkpoints.stream().filter(c -> c.ino() == old.ino()).findFirst().orElseThrow();
            assertTrue(ofOld.offset() < oldSize, "the old file's checkpoint stays before the pieces it handed on");
        }
        try (RecordingCollector second = first.restart(logs, checkpoints, Duration.ofMillis(200))) {
            Thread.sleep(1500);
            assertEquals(concat(seqs("a ", 0, 10), List.of("a seq=10 head and tail"), seqs("b ", 0, 10)),
                    second.messages(), "nothing sent again after the restart");
        }
    }

    @Test
    void twoRotationsWhileDownLoseTheUnreadTailAndTheWholeFileBetween() throws Exception {
        RecordingCollector first = RecordingCollector.start(logs, List.of());
        List<Checkpoint> checkpoints;
        try (ConmonWriter writer = new ConmonWriter(file, 0)) {
            writeAll(writer, seqs("a ", 0, 100));
            await("100 lines", WAIT, () -> first.count() == 100);
            checkpoints = first.stop();
            writeAll(writer, seqs("a ", 100, 150));
            writer.rotate();
            writeAll(writer, seqs("b ", 0, 100));
            writer.rotate();
            writeAll(writer, seqs("c ", 0, 100));
        }
        try (RecordingCollector second = first.restart(logs, checkpoints, Duration.ofMillis(200))) {
            awaitQuiet(second, 200);
            // the worst case the README names: a 100..149 and all of b were unlinked unread
            assertEquals(concat(seqs("a ", 0, 100), seqs("c ", 0, 100)), second.messages());
        }
    }

    @Test
    void aFileTruncatedWhileDownIsReadAgainFromItsStart() throws Exception {
        RecordingCollector first = RecordingCollector.start(logs, List.of());
        List<Checkpoint> checkpoints;
        try (ConmonWriter writer = new ConmonWriter(file, 0)) {
            writeAll(writer, seqs("a ", 0, 300));
            await("300 lines", WAIT, () -> first.count() == 300);
            checkpoints = first.stop();
        }
        // copytruncate while down, then fewer bytes than the checkpoint's offset
        Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
        try (ConmonWriter writer = new ConmonWriter(file, 0)) {
            writeAll(writer, seqs("b ", 0, 50));
        }
        RecordingCollector second = first.restart(logs, checkpoints, Duration.ofMillis(200));
        awaitQuiet(second, 350);
        checkpoints = second.stop();
        // and again, now with more bytes than the offset: only the changed first bytes show it
        Files.write(file, new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
        try (ConmonWriter writer = new ConmonWriter(file, 0)) {
            writeAll(writer, seqs("c ", 0, 600));
        }
        try (RecordingCollector third = second.restart(logs, checkpoints, Duration.ofMillis(200))) {
            awaitQuiet(third, 950);
            assertEquals(concat(seqs("a ", 0, 300), seqs("b ", 0, 50), seqs("c ", 0, 600)), third.messages());
            assertOnceEach(third.shipped());
        }
    }

    @Test
    void aCheckpointWhoseInodeNowHoldsAnotherFileReadsThatFileFromItsStart() throws Exception {
        try (ConmonWriter writer = new ConmonWriter(file, 0)) {
            writeAll(writer, seqs("", 0, 100));
        }
        // the checkpoint of an earlier file that had this inode: another first 64 bytes
        FileKey key = FileKey.of(file);
        CRC32 crc = new CRC32();
        byte[] earlier = "2026-11-22T03:12:09.000000001+00:00 stdout F an earlier file on this inode....."
                .substring(0, 64).getBytes(StandardCharsets.US_ASCII);
        crc.update(earlier);
        Checkpoint stale = new Checkpoint(key.dev(), key.ino(), file.toString(), Files.size(file) / 2, 64, crc.getValue());
        try (RecordingCollector collector = RecordingCollector.start(logs, List.of(stale))) {
            awaitQuiet(collector, 100);
            assertEquals(seqs("", 0, 100), collector.messages());
        }
    }

    @Test
    void aDeletedFileEndingInTheMiddleOfALineShipsThatLineAsItIs() throws Exception {
        try (RecordingCollector collector = RecordingCollector.start(logs, List.of());
                ConmonWriter writer = new ConmonWriter(file, 0)) {
            writer.line("stdout", "seq=0");
            writer.write("stdout", "seq=1 last words without a newline".getBytes(StandardCharsets.UTF_8));
            await("seq=0", WAIT, () -> collector.count() == 1);
            Files.delete(file);
            awaitQuiet(collector, 2);
            assertEquals(List.of("seq=0", "seq=1 last words without a newline"), collector.messages());
            await("the deleted file closed", WAIT, () -> collector.filesOpen() == 0);
        }
    }
}

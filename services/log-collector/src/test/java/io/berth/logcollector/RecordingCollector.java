package io.berth.logcollector;

import io.berth.events.log.LogLine;
import io.berth.logcollector.checkpoint.Checkpoint;
import io.berth.logcollector.cri.JoinedLine;
import io.berth.logcollector.line.LineInterpreter;
import io.berth.logcollector.ship.KafkaShipper;
import io.berth.logcollector.source.AgentLayout;
import io.berth.logcollector.source.LogLayout;
import io.berth.logcollector.tail.FileKey;
import io.berth.logcollector.tail.LineSink;
import io.berth.logcollector.tail.TailedFile;
import io.berth.logcollector.tail.Tailer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The collector's real tailer on a directory of its own, with a sink that records every line it
 * ships (event id and message, in send order) and acknowledges it at once, as Kafka would. A
 * "restart" is a new one started from the checkpoints an earlier one left.
 */
final class RecordingCollector implements AutoCloseable {

    /** One shipped line: its CloudEvent id and message. */
    record Shipped(String id, String message, String stream) {
    }

    private final Tailer tailer;
    private final List<Shipped> shipped;

    private RecordingCollector(Path logDir, LogLayout layout, List<Checkpoint> checkpoints, Duration forgetAfter,
            List<Shipped> into) {
        this.shipped = into;
        LineSink sink = (TailedFile file, JoinedLine line, long endOffset, long checkpointOffset) -> {
            LogLine interpreted = LineInterpreter.interpret(line, file.instance());
            String id = KafkaShipper.eventId(file, line, endOffset);
            // acknowledged before it is counted: a checkpoint taken once N lines are seen covers them
            file.sent();
            file.acknowledged(checkpointOffset);
            synchronized (shipped) {
                shipped.add(new Shipped(id, interpreted.message(), interpreted.stream()));
            }
        };
        tailer = new Tailer(logDir, layout, sink, app -> true, new Tailer.Listener() {
            @Override
            public void opened(TailedFile file) {
            }

            @Override
            public void closed(TailedFile file) {
            }
        }, 65536, Duration.ofMillis(500), Duration.ofMillis(20), forgetAfter, checkpoints, false);
        tailer.start();
    }

    static RecordingCollector start(Path logDir, List<Checkpoint> checkpoints) {
        return start(logDir, checkpoints, Duration.ofMillis(200));
    }

    static RecordingCollector start(Path logDir, List<Checkpoint> checkpoints, Duration forgetAfter) {
        return new RecordingCollector(logDir, new AgentLayout(logDir.resolveSibling("no-instances")), checkpoints,
                forgetAfter, new ArrayList<>());
    }

    /** Another collector that records into the same list (the same topic, read after a restart). */
    RecordingCollector restart(Path logDir, List<Checkpoint> checkpoints, Duration forgetAfter) {
        return new RecordingCollector(logDir, new AgentLayout(logDir.resolveSibling("no-instances")), checkpoints,
                forgetAfter, shipped);
    }

    List<Shipped> shipped() {
        synchronized (shipped) {
            return List.copyOf(shipped);
        }
    }

    List<String> messages() {
        return shipped().stream().map(Shipped::message).toList();
    }

    int count() {
        synchronized (shipped) {
            return shipped.size();
        }
    }

    /** What a clean stop writes: the acknowledged offsets. */
    List<Checkpoint> checkpoints() {
        return tailer.checkpoints();
    }

    boolean tails(FileKey key) {
        return tailer.files().containsKey(key);
    }

    int filesOpen() {
        return tailer.files().size();
    }

    /** Stops the tailer and returns the checkpoints a clean stop would write. */
    List<Checkpoint> stop() throws InterruptedException {
        tailer.stop();
        return tailer.checkpoints();
    }

    @Override
    public void close() throws InterruptedException {
        tailer.stop();
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not within " + timeout);
            }
            Thread.sleep(10);
        }
    }
}

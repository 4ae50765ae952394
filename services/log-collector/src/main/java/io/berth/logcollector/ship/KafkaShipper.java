package io.berth.logcollector.ship;

import io.berth.events.log.LogLine;
import io.berth.logcollector.cri.JoinedLine;
import io.berth.logcollector.line.LineInterpreter;
import io.berth.logcollector.tail.LineSink;
import io.berth.logcollector.tail.TailedFile;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * Interprets, encodes and produces each line, holding the bytes in flight under a limit: at the
 * limit the tailer blocks here, so a stopped Kafka stops the reading and the files stay the
 * buffer. Acknowledgements move the file's checkpoint; a failure makes the file re-read from its
 * last acknowledged line.
 */
public final class KafkaShipper implements LineSink {
    private static final Logger LOG = Logger.getLogger(KafkaShipper.class);

    /** Counts for metrics; all optional. */
    public interface Counters {
        void read(long lines, long bytes, boolean truncated);

        void sent();

        void failed();
    }

    private final LogProducer producer;
    private final LogLineEncoder encoder = new LogLineEncoder();
    private final Semaphore inFlightBytes;
    private final int maxInFlight;
    private final Counters counters;
    private final LongAdder failures = new LongAdder();

    private final String topicPrefix;

    /** @param topicPrefix {@code berth.logs.} on the platform; a benchmark uses its own so no platform indexer takes its lines */
    public KafkaShipper(LogProducer producer, String topicPrefix, long maxInFlightBytes, Counters counters) {
        this.producer = producer;
        this.topicPrefix = topicPrefix;
        this.maxInFlight = (int) Math.min(Integer.MAX_VALUE, maxInFlightBytes);
        this.inFlightBytes = new Semaphore(maxInFlight);
        this.counters = counters;
    }

    @Override
    public void ship(TailedFile file, JoinedLine joined, long endOffset, long checkpointOffset)
            throws InterruptedException {
        LogLine line = LineInterpreter.interpret(joined, file.instance());
        String id = eventId(file, joined, endOffset);
        byte[] value = encoder.encode(line, id);
        counters.read(1, joined.to() - joined.from(), joined.truncated());
        int cost = Math.min(value.length, maxInFlight);
        inFlightBytes.acquire(cost);
        file.sent();
        try {
            producer.send(topic(line.app()), line.instance().getBytes(StandardCharsets.UTF_8), value,
                    (metadata, error) -> {
                        inFlightBytes.release(cost);
                        if (error == null) {
                            file.acknowledged(checkpointOffset);
                            counters.sent();
                        } else {
                            file.failed();
                            counters.failed();
                            failures.increment();
                            warnNowAndThen(line.app(), error.getMessage());
                        }
                    });
        } catch (RuntimeException e) {
            // send() itself refused (closed producer, metadata timeout): the same as a failed send
            inFlightBytes.release(cost);
            file.failed();
            counters.failed();
            LOG.warnf("cannot send to %s: %s", topic(line.app()), e.getMessage());
        }
    }

    /**
     * {@code <instance>:<dev>:<inode>:<end offset>:<time ns>}: where the line ends in which file, and
     * the time of its first piece. A line read again (after a failed send or a restart from an older
     * checkpoint) gets the same id, so a consumer that keys on it keeps one copy.
     */
    public static String eventId(TailedFile file, JoinedLine line, long endOffset) {
        return file.instance().instance() + ":" + file.key() + ":" + endOffset + ":" + line.epochNanos();
    }

    private volatile long lastWarning;

    /** One warning per 10 s: while Kafka is down every line fails. */
    private void warnNowAndThen(String app, String why) {
        long now = System.nanoTime();
        if (now - lastWarning > 10_000_000_000L) {
            lastWarning = now;
            LOG.warnf("send to %s failed (%s): its file is re-read from the last acknowledged line", topic(app), why);
        }
    }

    private String topic(String app) {
        return topicPrefix + app;
    }

    public long inFlightBytes() {
        return maxInFlight - inFlightBytes.availablePermits();
    }

    public long failures() {
        return failures.sum();
    }
}

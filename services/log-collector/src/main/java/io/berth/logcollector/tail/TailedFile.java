package io.berth.logcollector.tail;

import io.berth.logcollector.cri.CriLine;
import io.berth.logcollector.cri.CriParser;
import io.berth.logcollector.cri.JoinedLine;
import io.berth.logcollector.cri.PartialJoiner;
import io.berth.logcollector.source.InstanceInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * One open log file and how far it has been read and acknowledged. Read only by the tailer
 * thread; the acknowledgement fields are written by Kafka's callback thread.
 *
 * <p>Offsets: {@code consumed} is where the next unprocessed physical line starts; {@code acked}
 * is the end of the last line Kafka acknowledged with every earlier line acknowledged too, and is
 * what gets checkpointed. A failed send or a truncation waits for the lines in flight, then
 * starts again from {@code acked} (or 0): re-reading is the only retry, so order is kept.
 *
 * <p>Rotation: a file that now sits where another one was ({@link #follow}) reads nothing until
 * that predecessor is drained: read to its end with nothing in flight. conmon closes the old
 * file before it renames the new one over its path, so at that moment the old one is complete,
 * and one instance's lines reach Kafka in the order they were written. A line whose pieces the
 * rotation split (P pieces at the end of the old file, its F piece at the start of the new one)
 * is taken over by the new file and shipped whole; the old file stays open, its checkpoint
 * before those pieces, until that line is acknowledged.
 */
public final class TailedFile {
    static final int FINGERPRINT_BYTES = 64;
    private static final int HEADER_ROOM = 128;

    private final FileKey key;
    private final InstanceInfo instance;
    private final FileChannel channel;
    private final PartialJoiner joiner;
    private final int maxPhysical;
    private volatile Path path;

    private static final int INITIAL_BUFFER = 16 * 1024;
    private final int maxBuffer;
    private byte[] buffer;
    private volatile boolean rewritten;
    private int bufferStart;
    private int bufferEnd;
    private long consumed;
    private long readPosition;
    private byte[] overlongHead;
    private long overlongStart;
    private volatile long size;

    private volatile long acked;
    private volatile boolean failed;
    private final AtomicInteger inFlight = new AtomicInteger();

    private boolean gone;
    private long idleSinceNanos = System.nanoTime();

    /** {length, CRC32}, replaced as a whole so the checkpoint thread never sees half of it */
    private volatile long[] fingerprint = {0, 0};

    /** the file that was at this path before: read to its end before this one is read at all */
    private TailedFile predecessor;
    /** the file that took over this one's unfinished lines: this one is done once they are acknowledged */
    private TailedFile successor;
    /** unfinished lines taken over from the predecessor, kept until acknowledged (a failed send re-reads them) */
    private List<PartialJoiner.Unfinished> carried;
    private long carriedAt;
    private boolean closed;
    /** its app's topic was there: it may be read */
    private boolean admitted;

    /** @param channel open on the file {@code key} names (the caller checked that the path still named it) */
    TailedFile(FileKey key, Path path, InstanceInfo instance, FileChannel channel, long startOffset, int maxLineBytes)
            throws IOException {
        this.key = key;
        this.path = path;
        this.instance = instance;
        this.channel = channel;
        this.joiner = new PartialJoiner(maxLineBytes);
        this.maxPhysical = maxLineBytes + HEADER_ROOM;
        // small at first: most files are quiet, and a node may have hundreds open
        this.maxBuffer = Math.max(256 * 1024, maxPhysical * 2);
        this.buffer = new byte[INITIAL_BUFFER];
        this.consumed = startOffset;
        this.readPosition = startOffset;
        this.acked = startOffset;
        this.size = channel.size();
    }

    public FileKey key() {
        return key;
    }

    public Path path() {
        return path;
    }

    void movedTo(Path newPath) {
        this.path = newPath;
    }

    public InstanceInfo instance() {
        return instance;
    }

    public long acked() {
        return acked;
    }

    /** Bytes of the file not yet acknowledged by Kafka. */
    public long lag() {
        return Math.max(0, size - acked);
    }

    public int inFlight() {
        return inFlight.get();
    }

    // --- called from the sink and Kafka's callback -----------------------------------------------

    public void sent() {
        inFlight.incrementAndGet();
    }

    /**
     * Kafka acknowledged a line. Callbacks of one partition run in send order, and a file's
     * lines all share one key and so one partition, so the highest acknowledged offset is a
     * safe checkpoint, unless an earlier line failed.
     */
    public void acknowledged(long checkpointOffset) {
        if (!failed && checkpointOffset > acked) {
            acked = checkpointOffset;
        }
        inFlight.decrementAndGet();
    }

    public void failed() {
        failed = true;
        inFlight.decrementAndGet();
    }

    // --- called by the tailer ----------------------------------------------------------------------

    boolean gone() {
        return gone;
    }

    void markGone() {
        if (!gone) {
            gone = true;
            idleSinceNanos = System.nanoTime();
        }
    }

    /**
     * A gone file is done when it has not grown for {@code idleNanos}, everything read is
     * acknowledged, and so is the line its successor took over from it.
     */
    boolean finished(long idleNanos) throws IOException {
        return gone && channel.size() <= readPosition && System.nanoTime() - idleSinceNanos >= idleNanos
                && inFlight.get() == 0 && (successor == null || successor.carrySettled());
    }

    boolean admitted() {
        return admitted;
    }

    void admit() {
        admitted = true;
    }

    /** This file replaced {@code previous} at its path: it waits until {@code previous} is drained. */
    void follow(TailedFile previous) {
        this.predecessor = previous;
    }

    /** Whether this file still waits for the one that was at its path before. */
    boolean follows() {
        return predecessor != null;
    }

    /**
     * Read to its end (nothing unread on disk, no whole line left in the buffer) with nothing in
     * flight and nothing to read again. A file that cannot even be asked its size is drained: no
     * more can come of it.
     */
    boolean drained() {
        try {
            return closed || !failed && !rewritten && inFlight.get() == 0 && channel.size() <= readPosition
                    && indexOfNewline(buffer, bufferStart, bufferEnd) < 0;
        } catch (IOException unreadable) {
            return true;
        }
    }

    /** The unfinished lines taken over from the predecessor are acknowledged (or there were none). */
    boolean carrySettled() {
        // closed: it was finished, so whatever it had was shipped and acknowledged
        return carried == null || acked > carriedAt || closed;
    }

    /**
     * Goes on from the drained predecessor: its unfinished lines become this file's, unless this
     * file was resumed past its start, which (the checkpoint never passes a line in pieces) means
     * they went out with this file's first line before a restart.
     */
    private void takeOver(TailedFile previous) {
        predecessor = null;
        List<PartialJoiner.Unfinished> lines = previous.joiner.unfinished();
        previous.joiner.reset();
        if (lines.isEmpty() || consumed > 0) {
            return;
        }
        carried = lines;
        carriedAt = consumed;
        joiner.resume(lines, carriedAt);
        previous.successor = this;
    }

    /**
     * Ships, as they are, the lines of this gone file that were still in pieces when it ended and
     * that no successor took over (the writer stopped in the middle of a line). Returns how many.
     */
    int flushUnfinished(LineSink sink) throws InterruptedException {
        List<JoinedLine> lines = joiner.flush();
        for (int i = 0; i < lines.size(); i++) {
            // only the last may move the checkpoint to the end: nothing is pending after it
            sink.ship(this, lines.get(i), consumed, i == lines.size() - 1 ? consumed : acked);
        }
        return lines.size();
    }

    /**
     * Reads and ships up to {@code maxLines} physical lines. Returns how many were processed, 0
     * when there was nothing new (or the file waits for its lines in flight).
     */
    int poll(LineSink sink, int maxLines) throws IOException, InterruptedException {
        long currentSize = channel.size();
        size = currentSize;
        if (predecessor != null) {
            if (!predecessor.drained()) {
                return 0;
            }
            takeOver(predecessor);
        }
        if (carried != null && carrySettled()) {
            carried = null;
        }
        if (currentSize > readPosition && !rewritten) {
            // before reading on, make sure this is still the content we were reading
            checkRewritten();
        }
        if (currentSize < readPosition || failed || rewritten) {
            // truncated (copytruncate) or a send failed: start over once nothing is in flight
            if (inFlight.get() > 0) {
                return 0;
            }
            long from = failed && !rewritten && currentSize >= readPosition ? acked : 0;
            restartAt(from);
            failed = false;
            rewritten = false;
        }
        int lines = 0;
        while (lines < maxLines) {
            int found = processBuffered(sink, maxLines - lines);
            lines += found;
            if (lines >= maxLines) {
                break;
            }
            if (!fill()) {
                break;
            }
        }
        if (lines > 0) {
            idleSinceNanos = System.nanoTime();
        }
        return lines;
    }

    private void restartAt(long offset) {
        if (offset == 0) {
            // new content from the start: its fingerprint is taken afresh
            fingerprint = new long[] {0, 0};
        }
        consumed = offset;
        readPosition = offset;
        acked = offset;
        bufferStart = 0;
        bufferEnd = 0;
        overlongHead = null;
        joiner.reset();
        if (carried != null && offset <= carriedAt) {
            // re-read from before the line taken over from the predecessor: it is still unfinished here
            joiner.resume(carried, carriedAt);
        }
    }

    /** Reads more bytes behind the unprocessed ones; false at end of file. */
    private boolean fill() throws IOException {
        if (bufferStart > 0) {
            System.arraycopy(buffer, bufferStart, buffer, 0, bufferEnd - bufferStart);
            bufferEnd -= bufferStart;
            bufferStart = 0;
        }
        if (bufferEnd == buffer.length && buffer.length < maxBuffer) {
            buffer = java.util.Arrays.copyOf(buffer, Math.min(maxBuffer, buffer.length * 4));
        } else if (bufferEnd == buffer.length) {
            // a physical line longer than the buffer: keep its head, drop the rest up to its newline
            if (overlongHead == null) {
                overlongHead = java.util.Arrays.copyOf(buffer, maxPhysical);
                overlongStart = consumed;
            }
            consumed += bufferEnd;
            bufferEnd = 0;
        }
        int read = channel.read(ByteBuffer.wrap(buffer, bufferEnd, buffer.length - bufferEnd), readPosition);
        if (read <= 0) {
            if (bufferEnd == 0 && buffer.length > INITIAL_BUFFER) {
                // caught up: give a burst's big buffer back
                buffer = new byte[INITIAL_BUFFER];
            }
            return false;
        }
        bufferEnd += read;
        readPosition += read;
        return true;
    }

    private int processBuffered(LineSink sink, int maxLines) throws InterruptedException {
        int lines = 0;
        while (lines < maxLines && !failed) {
            int newline = indexOfNewline(buffer, bufferStart, bufferEnd);
            if (newline < 0) {
                return lines;
            }
            long lineStart = consumed;
            long lineEnd = consumed + (newline - bufferStart) + 1;
            long now = System.currentTimeMillis() * 1_000_000L;
            CriLine line;
            boolean truncated;
            if (overlongHead != null) {
                line = CriParser.parse(overlongHead, 0, overlongHead.length, now);
                lineStart = overlongStart;
                truncated = true;
                overlongHead = null;
            } else {
                int end = newline > bufferStart && buffer[newline - 1] == '\r' ? newline - 1 : newline;
                truncated = end - bufferStart > maxPhysical;
                line = CriParser.parse(buffer, bufferStart, truncated ? bufferStart + maxPhysical : end, now);
            }
            JoinedLine joined = joiner.accept(line, lineStart, truncated);
            bufferStart = newline + 1;
            consumed = lineEnd;
            lines++;
            if (joined != null) {
                sink.ship(this, joined, lineEnd, Math.min(lineEnd, joiner.oldestPendingStart()));
            }
        }
        return lines;
    }

    private static int indexOfNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Takes the file's fingerprint until it has its full length (tailer thread only). */
    void updateFingerprint() throws IOException {
        if (fingerprint[0] < FINGERPRINT_BYTES && size > fingerprint[0]) {
            fingerprint = fingerprintOf(channel, FINGERPRINT_BYTES);
        }
    }

    /**
     * Whether the file's first bytes are no longer those it had: truncated and written past the
     * old read position between two polls, which its size alone cannot show. It is then read
     * again from 0, as any truncated file.
     */
    void checkRewritten() throws IOException {
        long[] print = fingerprint;
        if (print[0] > 0) {
            long[] now = fingerprintOf(channel, (int) print[0]);
            if (now[0] != print[0] || now[1] != print[1]) {
                rewritten = true;
                fingerprint = new long[] {0, 0};
            }
        }
    }

    public io.berth.logcollector.checkpoint.Checkpoint checkpoint() {
        long[] print = fingerprint;
        return new io.berth.logcollector.checkpoint.Checkpoint(key.dev(), key.ino(), path.toString(), acked,
                (int) print[0], print[1]);
    }

    /** {length, CRC32} of the first up-to-{@code max} bytes. */
    static long[] fingerprintOf(FileChannel channel, int max) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(max);
        long position = 0;
        while (head.hasRemaining()) {
            int read = channel.read(head, position);
            if (read <= 0) {
                break;
            }
            position += read;
        }
        CRC32 crc = new CRC32();
        crc.update(head.array(), 0, head.position());
        return new long[] {head.position(), crc.getValue()};
    }

    FileChannel channel() {
        return channel;
    }

    void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel
        }
    }
}

package io.berth.logcollector.cri;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Joins P pieces of each stream with the F piece that ends them, keeping at most {@code maxBytes}
 * of a logical line (the rest is dropped and the line marked truncated). Streams are independent:
 * a stderr line may complete while a stdout line is still in pieces, which is why
 * {@link #oldestPendingStart()} exists: a file position past a pending piece must not be
 * checkpointed, or a restart would lose that piece.
 *
 * <p>A line can also span two files: conmon rotates a k8s-file log between two pieces of one line,
 * so its P pieces end the old file and its F piece starts the new one. {@link #unfinished()} and
 * {@link #resume} carry such a line from one file's joiner to the next; {@link #flush()} ends the
 * unfinished lines of a file nobody continues.
 */
public final class PartialJoiner {
    private final int maxBytes;
    private final Pending[] pending = new Pending[CriLine.Stream.values().length];

    public PartialJoiner(int maxBytes) {
        this.maxBytes = maxBytes;
        for (int i = 0; i < pending.length; i++) {
            pending[i] = new Pending();
        }
    }

    /**
     * Feeds one physical line that starts at file offset {@code startOffset}; returns the logical
     * line it completes, or null while the line is still in pieces.
     */
    public JoinedLine accept(CriLine line, long startOffset, boolean physicallyTruncated) {
        Pending p = pending[line.stream().ordinal()];
        if (!p.active && !line.partial()) {
            // the common case: a whole line in one piece, no copy
            int to = line.contentStart() + Math.min(line.contentLength(), maxBytes);
            return new JoinedLine(line.epochNanos(), line.stream(), line.buffer(), line.contentStart(), to,
                    physicallyTruncated || line.contentLength() > maxBytes, line.malformed());
        }
        if (!p.active) {
            p.active = true;
            p.epochNanos = line.epochNanos();
            p.startOffset = startOffset;
            p.length = 0;
            p.truncated = false;
        }
        p.append(line.buffer(), line.contentStart(), line.contentLength(), maxBytes);
        p.truncated |= physicallyTruncated;
        if (line.partial()) {
            return null;
        }
        p.active = false;
        return new JoinedLine(p.epochNanos, line.stream(), p.bytes, 0, p.length, p.truncated, line.malformed());
    }

    /** The file offset where the oldest unfinished line starts, or {@code Long.MAX_VALUE} if none. */
    public long oldestPendingStart() {
        long oldest = Long.MAX_VALUE;
        for (Pending p : pending) {
            if (p.active) {
                oldest = Math.min(oldest, p.startOffset);
            }
        }
        return oldest;
    }

    /** Forgets unfinished lines: the file was truncated or is re-read from a checkpoint. */
    public void reset() {
        for (Pending p : pending) {
            p.active = false;
            p.length = 0;
            if (p.bytes.length > 64 * 1024) {
                p.bytes = new byte[1024];
            }
        }
    }

    /** An unfinished line, copied out of a joiner: what {@link #resume} needs to go on with it. */
    public record Unfinished(CriLine.Stream stream, long epochNanos, byte[] bytes, boolean truncated) {
    }

    /** Copies of the lines still in pieces, oldest first; empty when there are none. */
    public List<Unfinished> unfinished() {
        List<CriLine.Stream> active = new ArrayList<>();
        for (CriLine.Stream stream : CriLine.Stream.values()) {
            if (pending[stream.ordinal()].active) {
                active.add(stream);
            }
        }
        active.sort(Comparator.comparingLong(stream -> pending[stream.ordinal()].startOffset));
        List<Unfinished> copies = new ArrayList<>(active.size());
        for (CriLine.Stream stream : active) {
            Pending p = pending[stream.ordinal()];
            copies.add(new Unfinished(stream, p.epochNanos, Arrays.copyOf(p.bytes, p.length), p.truncated));
        }
        return copies;
    }

    /**
     * Forgets what is pending and goes on with {@code lines} instead, as if their pieces had been
     * read here starting at {@code startOffset} (so no checkpoint passes that offset until they end).
     */
    public void resume(List<Unfinished> lines, long startOffset) {
        reset();
        for (Unfinished line : lines) {
            Pending p = pending[line.stream().ordinal()];
            p.active = true;
            p.epochNanos = line.epochNanos();
            p.startOffset = startOffset;
            p.length = 0;
            p.truncated = line.truncated();
            p.append(line.bytes(), 0, line.bytes().length, maxBytes);
        }
    }

    /**
     * Ends every unfinished line as it is, oldest first, and forgets them: for a file that is gone
     * and that no other file continues (the writer stopped in the middle of a line).
     */
    public List<JoinedLine> flush() {
        List<JoinedLine> lines = new ArrayList<>();
        for (Unfinished u : unfinished()) {
            lines.add(new JoinedLine(u.epochNanos(), u.stream(), u.bytes(), 0, u.bytes().length, u.truncated(), false));
        }
        reset();
        return lines;
    }

    private static final class Pending {
        byte[] bytes = new byte[1024];
        int length;
        boolean active;
        boolean truncated;
        long epochNanos;
        long startOffset;

        void append(byte[] source, int from, int count, int maxBytes) {
            int room = maxBytes - length;
            if (count > room) {
                truncated = true;
                count = Math.max(room, 0);
            }
            if (length + count > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(maxBytes, Math.max(bytes.length * 2, length + count)));
            }
            System.arraycopy(source, from, bytes, length, count);
            length += count;
        }
    }
}

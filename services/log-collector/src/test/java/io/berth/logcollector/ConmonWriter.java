package io.berth.logcollector;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes a k8s-file log exactly as conmon 2.1.6 does (src/ctr_logging.c, write_k8s_log and
 * reopen_k8s_file): every read of the container's pipe (at most 8192 bytes) is one buffer with one
 * timestamp; each of its lines is {@code <time> <stream> F <line>}, and a last piece without a
 * newline is {@code <time> <stream> P <piece>\n}. Before a piece that would take the file past
 * {@code maxSize} it rotates: fsync and close the file, open {@code <path>.tmp} with O_TRUNC and
 * rename it over the path, so the old file is gone from the directory.
 */
final class ConmonWriter implements AutoCloseable {
    static final int STDIO_BUF_SIZE = 8192;
    /** TSBUFLEN - 1 + "F " : {@code 2026-11-22T03:12:09.123456789+00:00 stdout F } */
    static final int HEADER = 45;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn")
            .withZone(ZoneOffset.UTC);

    private final Path path;
    private final long maxSize;
    private FileChannel out;
    private long bytesWritten;
    private int rotations;
    private Rotated onRotation = path -> {
    };

    /** Told after each rotation (a test waits there until the collector has the new file open). */
    interface Rotated {
        void rotated(Path path) throws IOException, InterruptedException;
    }

    /** @param maxSize conmon's --log-size-max; 0 never rotates */
    ConmonWriter(Path path, long maxSize) throws IOException {
        this.path = path;
        this.maxSize = maxSize;
        Files.createDirectories(path.getParent());
        // configure_log_drivers: O_WRONLY | O_APPEND | O_CREAT; bytes_written starts at 0 even if the file exists
        out = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.CREATE);
    }

    ConmonWriter onRotation(Rotated listener) {
        this.onRotation = listener;
        return this;
    }

    /** One whole line as the app prints it. */
    void line(String stream, String text) throws IOException, InterruptedException {
        write(stream, (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** What the app wrote to {@code stream} (stdout or stderr), read by conmon in pipe-sized pieces. */
    void write(String stream, byte[] data) throws IOException, InterruptedException {
        for (int from = 0; from < data.length; from += STDIO_BUF_SIZE) {
            writeBuffer(stream, data, from, Math.min(data.length, from + STDIO_BUF_SIZE));
        }
    }

    private void writeBuffer(String stream, byte[] buf, int from, int to) throws IOException, InterruptedException {
        byte[] ts = (TIME.format(Instant.now()) + "+00:00 " + stream + " ").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer batch = ByteBuffer.allocate((to - from) * 2 + 64 * (HEADER + 1) + 64);
        int at = from;
        while (at < to) {
            int newline = at;
            while (newline < to && buf[newline] != '\n') {
                newline++;
            }
            boolean partial = newline == to;
            int lineLen = partial ? to - at : newline - at + 1;
            long toBeWritten = lineLen + HEADER + (partial ? 1 : 0);
            if (maxSize > 0 && bytesWritten + toBeWritten > maxSize) {
                bytesWritten = 0;
                flush(batch);
                rotate();
            }
            if (batch.remaining() < lineLen + HEADER + 1) {
                flush(batch);
                batch = ByteBuffer.allocate(Math.max(batch.capacity(), lineLen + HEADER + 1));
            }
            batch.put(ts).put((byte) (partial ? 'P' : 'F')).put((byte) ' ').put(buf, at, lineLen);
            if (partial) {
                batch.put((byte) '\n');
            }
            bytesWritten += toBeWritten;
            at += lineLen;
        }
        flush(batch);
    }

    private void flush(ByteBuffer batch) throws IOException {
        batch.flip();
        while (batch.hasRemaining()) {
            out.write(batch);
        }
        batch.clear();
    }

    /** reopen_k8s_file: fsync, close, open {@code <path>.tmp} O_WRONLY|O_TRUNC|O_CREAT, rename it over the path. */
    void rotate() throws IOException, InterruptedException {
        out.force(true);
        out.close();
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.CREATE);
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        rotations++;
        onRotation.rotated(path);
    }

    int rotations() {
        return rotations;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

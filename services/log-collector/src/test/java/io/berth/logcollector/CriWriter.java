package io.berth.logcollector;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Writes a CRI log file the way the agent's shim does (append, one write per line). */
final class CriWriter implements AutoCloseable {
    private final OutputStream out;
    private long written;

    CriWriter(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        written = Files.size(file);
    }

    /** Appends a full line; returns the file offset where it ends. */
    long line(String stream, String text) throws IOException {
        return raw((Instant.now() + " " + stream + " F " + text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    long partial(String stream, String text) throws IOException {
        return raw((Instant.now() + " " + stream + " P " + text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    long raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        written += bytes.length;
        return written;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

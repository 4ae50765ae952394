package io.berth.logcollector.checkpoint;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * The checkpoint file, {@code checkpoints.json}: written to a temporary file, fsynced, renamed over
 * the old one and the directory fsynced, so a crash at any moment leaves either the old or the new
 * checkpoints, never a torn file.
 */
public final class CheckpointStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Checkpoint>> LIST = new TypeReference<>() {
    };

    private final Path file;

    public CheckpointStore(Path stateDir) {
        this.file = stateDir.resolve("checkpoints.json");
    }

    public Path file() {
        return file;
    }

    /** The stored checkpoints, or empty when there is no checkpoint file yet. */
    public Optional<List<Checkpoint>> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), LIST));
    }

    public void save(List<Checkpoint> checkpoints) throws IOException {
        writeDurably(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(checkpoints));
    }

    /** Temp file, fsync, atomic rename, fsync of the directory. */
    public static void writeDurably(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException notSupported) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }
}

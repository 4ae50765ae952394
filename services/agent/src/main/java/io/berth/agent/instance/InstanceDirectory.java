package io.berth.agent.instance;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files that let an agent adopt its instances after a restart: {@code spec.json}, {@code port},
 * {@code shim.pid} and the {@code stopping} marker are written by the agent; {@code app.pid} and
 * {@code exit} by the shim. The instance's CRI log is {@code logs/<app>/<id>.log} beside them.
 */
public final class InstanceDirectory {
    private final Path dir;
    private final Path logFile;

    InstanceDirectory(Path root, String app, String id) {
        this.dir = root.resolve("instances").resolve(id);
        this.logFile = root.resolve("logs").resolve(app).resolve(id + ".log");
    }

    static Stream<Path> all(Path root) throws IOException {
        Path instances = root.resolve("instances");
        if (!Files.isDirectory(instances)) {
            return Stream.empty();
        }
        try (Stream<Path> list = Files.list(instances)) {
            return list.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    Path dir() {
        return dir;
    }

    Path workDir() {
        return dir.resolve("work");
    }

    public Path logFile() {
        return logFile;
    }

    void create(InstanceSpec spec, ObjectMapper json) {
        try {
            Files.createDirectories(workDir());
            Files.createDirectories(logFile.getParent());
            write("spec.json", json.writeValueAsString(spec));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InstanceSpec readSpec(Path dir, ObjectMapper json) throws IOException {
        return json.readValue(dir.resolve("spec.json").toFile(), InstanceSpec.class);
    }

    void write(String name, String value) {
        try {
            Path tmp = dir.resolve(name + ".tmp");
            Files.writeString(tmp, value, StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Optional<String> read(String name) {
        try {
            Path file = dir.resolve(name);
            return Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    Optional<Long> readLong(String name) {
        return read(name).flatMap(v -> {
            try {
                return Optional.of(Long.parseLong(v));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    void delete(String name) {
        try {
            Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes everything but the log file, which the log collector may still be reading. */
    void remove() {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

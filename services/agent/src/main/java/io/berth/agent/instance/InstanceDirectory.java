package io.berth.agent.instance;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import io.berth.common.secret.SecretCipher;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files that let an agent adopt its instances after a restart: {@code spec.json}, {@code port},
 * {@code shim.pid} and the {@code stopping} marker are written by the agent; {@code app.pid} and
 * {@code exit} by the shim on the process runtime, by the agent from {@code podman inspect} on the
 * container runtime, where conmon leaves its {@code oom} mark here too. The instance's CRI log is {@code logs/<app>/<id>.log} beside them.
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

    /**
     * spec.json is readable by the agent's user only, and its env values are sealed when there is a
     * key ring: the instance's environment holds the release's secrets.
     */
    void create(InstanceSpec spec, ObjectMapper json, Optional<SecretCipher> secrets) {
        try {
            Files.createDirectories(workDir());
            Files.createDirectories(logFile.getParent());
            // the registry credentials are never written: the image is pulled before the first start, and
            // a restart after the agent's own finds it in podman's storage
            InstanceSpec plain = spec.withoutRegistryAuth();
            InstanceSpec stored = secrets.map(cipher -> plain.withEnv(changeValues(plain.env(), cipher::seal))).orElse(plain);
            write("spec.json", json.writeValueAsString(stored));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InstanceSpec readSpec(Path dir, ObjectMapper json, Optional<SecretCipher> secrets) throws IOException {
        InstanceSpec stored = json.readValue(dir.resolve("spec.json").toFile(), InstanceSpec.class);
        if (stored.env() == null || stored.env().values().stream().noneMatch(SecretCipher::isSealed)) {
            return stored;
        }
        SecretCipher cipher = secrets.orElseThrow(() -> new IOException(
                "spec.json holds sealed env values but berth.secrets.keys is not set"));
        return stored.withEnv(changeValues(stored.env(), cipher::open));
    }

    private static java.util.Map<String, String> changeValues(java.util.Map<String, String> env,
            java.util.function.UnaryOperator<String> change) {
        if (env == null) {
            return null;
        }
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        env.forEach((k, v) -> out.put(k, change.apply(v)));
        return out;
    }

    void write(String name, String value) {
        try {
            Path tmp = dir.resolve(name + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
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

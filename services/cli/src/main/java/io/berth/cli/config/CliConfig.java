package io.berth.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.CliException;
import io.berth.cli.ExitCodes;
import io.berth.cli.api.Json;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * What {@code berth login} saved: the API address and the token, in
 * {@code $XDG_CONFIG_HOME/berth/config.json} (default {@code ~/.config/berth/config.json}), readable
 * by its owner only (0600, directory 0700), because the token is a password.
 */
public record CliConfig(String api, String token) {

    /** The file, from the environment given (so tests can point it elsewhere). */
    public static Path file(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path dir = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return dir.resolve("berth").resolve("config.json");
    }

    /** The saved configuration, or an empty one when there is no file. */
    public static CliConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            return new CliConfig(null, null);
        }
        try {
            JsonNode node = Json.parseOrNull(Files.readString(file));
            if (node == null || !node.isObject()) {
                throw new CliException(file + " is not a JSON object: run `berth login` again", ExitCodes.USAGE);
            }
            return new CliConfig(text(node, "api"), text(node, "token"));
        } catch (IOException e) {
            throw new CliException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")", ExitCodes.USAGE);
        }
    }

    /** Written to a 0600 file beside it and moved into place, so the token is never readable by others, not even briefly. */
    public void write(Path file) {
        try {
            Path dir = file.getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path temp = Files.createTempFile(dir, ".config", ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            ObjectNode node = Json.MAPPER.createObjectNode();
            node.put("api", api);
            if (token != null) {
                node.put("token", token);
            }
            Files.writeString(temp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
            try {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new CliException("cannot write " + file + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    ExitCodes.USAGE);
        }
    }

    /** Never the token: a record's own toString would print it. */
    @Override
    public String toString() {
        return "CliConfig[api=" + api + ", token=" + (token == null ? "none" : "set") + "]";
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText().trim();
    }
}

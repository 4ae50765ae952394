package io.berth.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.cli.CliException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliConfigTest {
    @TempDir
    Path home;

    @Test
    void theFileIsUnderXdgConfigHomeElseHomeDotConfig() {
        assertEquals(Path.of("/x/berth/config.json"), CliConfig.file(Map.of("XDG_CONFIG_HOME", "/x", "HOME", "/h")));
        assertEquals(Path.of("/h/.config/berth/config.json"), CliConfig.file(Map.of("HOME", "/h")));
        assertEquals(Path.of("/h/.config/berth/config.json"), CliConfig.file(Map.of("XDG_CONFIG_HOME", "", "HOME", "/h")));
    }

    @Test
    void writtenForItsOwnerOnlyEvenOverAnOpenFile() throws Exception {
        Path file = home.resolve("cfg/berth/config.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        new CliConfig("http://console:8080", "tok").write(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(new CliConfig("http://console:8080", "tok"), CliConfig.read(file));
        try (var left = Files.list(file.getParent())) {
            assertEquals(1, left.count(), "no temporary file left beside it");
        }
    }

    @Test
    void aNewDirectoryIsPrivateToo() throws Exception {
        Path file = home.resolve("fresh/berth/config.json");
        new CliConfig("http://a", "t").write(file);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
    }

    @Test
    void noFileIsAnEmptyConfigAndABrokenOneSaysSo() throws Exception {
        assertEquals(new CliConfig(null, null), CliConfig.read(home.resolve("none.json")));
        Path broken = home.resolve("broken.json");
        Files.writeString(broken, "not json");
        CliException e = assertThrows(CliException.class, () -> CliConfig.read(broken));
        assertTrue(e.getMessage().contains("berth login"));
    }

    @Test
    void itsTextNeverShowsTheToken() {
        assertFalse(new CliConfig("http://a", "s3cret").toString().contains("s3cret"));
        assertFalse(new Connection("http://a", "s3cret", "env").toString().contains("s3cret"));
    }

    @Test
    void envBeatsTheSavedLoginWhichBeatsTheAdminTokenFile() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
        env.put("BERTH_HOME", home.resolve("berth").toString());
        Files.createDirectories(home.resolve("berth"));
        Files.writeString(home.resolve("berth/admin-token"), "admin-tok\n");

        Connection adminFile = Connection.resolve(null, null, env);
        assertEquals(Connection.DEFAULT_API, adminFile.api());
        assertEquals("admin-tok", adminFile.token());

        new CliConfig("http://saved:8080", "saved-tok").write(CliConfig.file(env));
        assertEquals(new Connection("http://saved:8080", "saved-tok", CliConfig.file(env).toString()),
                Connection.resolve(null, null, env));

        env.put("BERTH_API", "http://env:8080");
        env.put("BERTH_TOKEN", "env-tok");
        assertEquals("http://env:8080", Connection.resolve(null, null, env).api());
        assertEquals("env-tok", Connection.resolve(null, null, env).token());
        assertEquals("http://flag:1", Connection.resolve("http://flag:1", null, env).api());

        env.remove("BERTH_TOKEN");
        Path file = home.resolve("other-token");
        Files.writeString(file, "file-tok");
        assertEquals("file-tok", Connection.resolve(null, file.toString(), env).token());
    }
}

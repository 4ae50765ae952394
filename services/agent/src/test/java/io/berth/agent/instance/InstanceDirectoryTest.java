package io.berth.agent.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.secret.SecretCipher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an agent keeps on disk to adopt its instances must not give away the secrets in their env. */
class InstanceDirectoryTest {
    static final SecretCipher CIPHER = SecretCipher.parse("t:" + Base64.getEncoder().encodeToString(new byte[32]));
    final ObjectMapper json = new ObjectMapper().findAndRegisterModules();

    static InstanceSpec spec() {
        return new InstanceSpec("shop-1", "shop", "team-a", 3, List.of("sleep", "60"), null, null,
                Map.of("DB_PASSWORD", "hunter2-secret", "MODE", "live"), null, 5, null, Map.of(), null);
    }

    @Test
    void envValuesAreSealedInSpecJsonWhichOnlyItsOwnerMayRead(@TempDir Path root) throws Exception {
        InstanceDirectory dir = new InstanceDirectory(root, "shop", "shop-1");
        dir.create(spec(), json, Optional.of(CIPHER));
        Path file = dir.dir().resolve("spec.json");
        String stored = Files.readString(file);
        assertFalse(stored.contains("hunter2-secret"), stored);
        assertTrue(stored.contains("enc:v1:t:"), stored);
        assertTrue(stored.contains("team-a"), "the collector still reads team and release from it");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(spec().env(), InstanceDirectory.readSpec(dir.dir(), json, Optional.of(CIPHER)).env(),
                "an agent that restarts adopts the instance with its env as it was given");
    }

    @Test
    void withoutAKeyRingTheFileIsStillOwnerOnly(@TempDir Path root) throws Exception {
        InstanceDirectory dir = new InstanceDirectory(root, "shop", "shop-1");
        dir.create(spec(), json, Optional.empty());
        Path file = dir.dir().resolve("spec.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(spec().env(), InstanceDirectory.readSpec(dir.dir(), json, Optional.empty()).env());
    }

    @Test
    void registryCredentialsAreNeverWritten(@TempDir Path root) throws Exception {
        InstanceSpec spec = new InstanceSpec("shop-2", "shop", "team-a", 3, List.of(), "127.0.0.1:5000/shop:v1", null,
                Map.of(), null, 5, null, Map.of(), new InstanceSpec.RegistryAuth("team-a-bot", "pull-pass-s3cret"));
        InstanceDirectory dir = new InstanceDirectory(root, "shop", "shop-2");
        dir.create(spec, json, Optional.of(CIPHER));
        String stored = Files.readString(dir.dir().resolve("spec.json"));
        assertFalse(stored.contains("pull-pass-s3cret") || stored.contains("team-a-bot"), stored);
        assertEquals(spec.withoutRegistryAuth(), InstanceDirectory.readSpec(dir.dir(), json, Optional.of(CIPHER)));
        assertFalse(spec.toString().contains("pull-pass-s3cret"), "nor in a log line that prints the spec");
    }
}

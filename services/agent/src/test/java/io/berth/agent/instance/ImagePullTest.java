package io.berth.agent.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImagePullTest {
    static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void theRegistryIsTheFirstComponentWhenItIsAHostOtherwiseDockerHub() {
        assertEquals("docker.io", ImagePull.registry("nginx"));
        assertEquals("docker.io", ImagePull.registry("nginx:1.25"));
        assertEquals("docker.io", ImagePull.registry("library/nginx@" + DIGEST));
        assertEquals("127.0.0.1:5000", ImagePull.registry("127.0.0.1:5000/team-a/hello:v1"));
        assertEquals("registry.example.com", ImagePull.registry("registry.example.com/a/b/c@" + DIGEST));
        assertEquals("localhost", ImagePull.registry("localhost/berth-base:bookworm-1"));
        assertEquals("localhost:5000", ImagePull.registry("localhost:5000/x"));
    }

    @Test
    void referencesArePullableOrRefusedUpFront() {
        for (String ok : List.of("nginx", "127.0.0.1:5000/team-a/hello:v1", "a/b@" + DIGEST, "x.io/y:z@" + DIGEST,
                "localhost/berth-base:bookworm-1", "my_org/my-app__x:1.0-rc.1")) {
            assertNull(ImagePull.referenceProblem(ok), ok);
        }
        for (String bad : List.of("Nginx", "a//b", "a/b:", "a/b@sha256:xyz", "-a/b", "a/b:tag with space", "a:b:c")) {
            assertNotNull(ImagePull.referenceProblem(bad), bad);
        }
    }

    @Test
    void tlsVerificationIsOffOnlyForTheListedRegistries() {
        assertTrue(ImagePull.insecure("127.0.0.1:5000", List.of(" 127.0.0.1:5000")));
        assertFalse(ImagePull.insecure("127.0.0.1:5001", List.of("127.0.0.1:5000")));
        assertFalse(ImagePull.insecure("docker.io", List.of()));
        assertEquals(List.of("pull", "--quiet", "--tls-verify=false", "--authfile", "/d/auth.json", "r:5000/a:v1"),
                ImagePull.args("r:5000/a:v1", true, Path.of("/d/auth.json")));
        assertEquals(List.of("pull", "--quiet", "x.io/a:v1"), ImagePull.args("x.io/a:v1", false, null));
    }

    @Test
    void theCredentialsGoIntoTheAuthFileNeverOnTheCommandLine() {
        String file = ImagePull.authFile("127.0.0.1:5000", "bot", "p\"ss");
        String auth = Base64.getEncoder().encodeToString("bot:p\"ss".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + auth + "\"}}}", file);
        assertTrue(ImagePull.args("r/a", false, Path.of("/d/auth.json")).stream().noneMatch(a -> a.contains("p\"ss")));
    }

    @Test
    void aFailedPullSaysWhetherTheRegistryRefusedIt() {
        String refused = ImagePull.failure("127.0.0.1:5000/a:v1",
                "Error: initializing source docker://127.0.0.1:5000/a:v1: reading manifest v1: unauthorized: authentication required\n",
                true);
        assertEquals("cannot pull image 127.0.0.1:5000/a:v1: the registry refused the pull with the team's credentials "
                + "for 127.0.0.1:5000: Error: initializing source docker://127.0.0.1:5000/a:v1: reading manifest v1: "
                + "unauthorized: authentication required", refused);
        assertTrue(ImagePull.failure("x.io/a", "unauthorized", false).contains("no credentials of the team's for x.io"));
        assertTrue(ImagePull.failure("x.io/a", "reading manifest latest in x.io/a: manifest unknown", false)
                .contains(": no such image in the registry: "));
    }
}

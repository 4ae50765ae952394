package io.berth.agent.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code podman run} of an instance, rule by rule, without podman. */
class ContainerArgsTest {
    static final ContainerArgs.Settings SETTINGS = new ContainerArgs.Settings("localhost/berth-base:bookworm-1", 10001,
            1024, 4096, "256m", "10mb", List.of(Path.of("/etc/ssl/certs/ca-certificates.crt")),
            "/etc/ssl/certs/ca-certificates.crt");

    static InstanceSpec spec(List<String> command, String image, Map<String, String> env, InstanceSpec.Resources resources) {
        return new InstanceSpec("web-1-abcde", "web", "team-a", 1, command, image, null, env, null, 5, resources, null, null);
    }

    static ContainerArgs.Launch launch(InstanceSpec spec, Path artifact) {
        return ContainerArgs.run(spec, 30001, SETTINGS, Path.of("/data"), Path.of("/data/logs/web/web-1-abcde.log"),
                Path.of("/data/instances/web-1-abcde/env"), artifact);
    }

    /** The value after {@code flag} (each occurrence). */
    static List<String> values(List<String> args, String flag) {
        List<String> values = new java.util.ArrayList<>();
        for (int i = 0; i < args.size() - 1; i++) {
            if (args.get(i).equals(flag)) {
                values.add(args.get(i + 1));
            }
        }
        return values;
    }

    @Test
    void everyInstanceIsIsolatedTheSameWay() {
        List<String> args = launch(spec(List.of("sh", "-c", "true"), null, Map.of(), null), null).args();
        assertTrue(args.contains("--userns=auto:size=65536"), "a range of host uids of its own");
        assertEquals(List.of("10001:10001"), values(args, "--user"), "never root");
        assertTrue(args.contains("--read-only"));
        assertTrue(args.contains("--cap-drop=ALL"));
        assertEquals(List.of("no-new-privileges"), values(args, "--security-opt"));
        assertFalse(args.stream().anyMatch(a -> a.contains("seccomp=unconfined")), "podman's default seccomp profile stays");
        assertFalse(args.contains("--privileged"));
        assertEquals(List.of("/tmp:rw,nosuid,nodev,size=256m,mode=1777", "/work:rw,nosuid,nodev,size=256m,mode=1777"),
                values(args, "--tmpfs"), "only /tmp and the work directory are writable");
        assertEquals(List.of("1024"), values(args, "--pids-limit"));
        assertEquals(List.of("nofile=4096:4096", "nproc=1024:1024"), values(args, "--ulimit"));
        assertEquals(List.of("berth-team-a"), values(args, "--network"), "its team's network");
        assertEquals(List.of("berth-web-1-abcde"), values(args, "--name"), "named after the instance: never two");
        assertTrue(values(args, "--label").contains("berth.io/agent-data=/data"));
        assertEquals(List.of("path=/data/logs/web/web-1-abcde.log", "max-size=10mb"), values(args, "--log-opt"));
        assertEquals(List.of("/etc/ssl/certs/ca-certificates.crt:/etc/ssl/certs/ca-certificates.crt:ro"),
                values(args, "--volume"), "the host's CAs, read-only, and nothing else of the host");
        assertEquals(List.of("localhost/berth-base:bookworm-1", "sh", "-c", "true"), args.subList(args.size() - 4, args.size()));
    }

    @Test
    void limitsBecomeCgroupLimitsWithNoSwapBeyondTheMemory() {
        List<String> args = launch(spec(List.of("x"), null, Map.of(), new InstanceSpec.Resources(250, 128)), null).args();
        assertEquals(List.of("128m"), values(args, "--memory"));
        assertEquals(List.of("128m"), values(args, "--memory-swap"));
        assertEquals(List.of("0.250"), values(args, "--cpus"));
        List<String> unlimited = launch(spec(List.of("x"), null, Map.of(), null), null).args();
        assertTrue(values(unlimited, "--memory").isEmpty());
        assertTrue(values(unlimited, "--cpus").isEmpty());
    }

    @Test
    void anImageRunsItselfAndAnArtifactIsMountedReadOnly() {
        List<String> image = launch(spec(List.of(), "registry.example/team/web:1.2", Map.of(), null), null).args();
        assertEquals("registry.example/team/web:1.2", image.get(image.size() - 1), "the image's own entrypoint");
        List<String> artifact = launch(spec(List.of("java", "-jar", "/a/web.jar"), null, Map.of(), null), Path.of("/a/web.jar")).args();
        assertTrue(values(artifact, "--volume").contains("/a/web.jar:/a/web.jar:ro"));
    }

    @Test
    void noValueIsEverOnTheCommandLine() {
        ContainerArgs.Launch launch = launch(spec(List.of("x"), null,
                Map.of("DATABASE_URL", "postgres://u:s3cret@db/x", "TLS_KEY", "-----BEGIN-----\nabc\n-----END-----"), null), null);
        assertFalse(String.join(" ", launch.args()).contains("s3cret"));
        assertFalse(String.join(" ", launch.args()).contains("BEGIN"));
        assertTrue(launch.envFile().contains("DATABASE_URL=postgres://u:s3cret@db/x"));
        assertEquals("-----BEGIN-----\nabc\n-----END-----", launch.podmanEnv().get("TLS_KEY"), "a multi-line value goes by name");
        assertTrue(values(launch.args(), "--env").contains("TLS_KEY"));
    }

    @Test
    void thePlatformsVariablesWinOverTheReleasesAndTheAppBindsEveryAddressOfItsOwnNamespace() {
        Map<String, String> env = ContainerArgs.environment(spec(List.of("x"), null, Map.of("PORT", "1", "HOST", "127.0.0.1",
                "JAVA_TOOL_OPTIONS", "-Xmx64m"), null), 30001, SETTINGS);
        assertEquals("30001", env.get("PORT"));
        assertEquals("0.0.0.0", env.get("HOST"));
        assertEquals("-Xmx64m", env.get("JAVA_TOOL_OPTIONS"));
        assertEquals("berth.logs.web", env.get("BERTH_LOG_TOPIC"));
        assertEquals("/etc/ssl/certs/ca-certificates.crt", env.get("SSL_CERT_FILE"));
        assertEquals("/etc/ssl/certs/ca-certificates.crt", env.get("NODE_EXTRA_CA_CERTS"));
    }

    @Test
    void aMultiLineValueUnderANamePodmanReadsIsRefused() {
        assertNull(ContainerArgs.envProblem(Map.of("CERT", "a\nb", "PATH", "/usr/bin")));
        assertNotNull(ContainerArgs.envProblem(Map.of("LD_PRELOAD", "/x.so\n/y.so")));
        assertNotNull(ContainerArgs.envProblem(Map.of("CONTAINERS_CONF", "a\nb")));
        assertNotNull(ContainerArgs.envProblem(Collections.singletonMap("X", "a\0b")));
    }

    @Test
    void aContainerStatusNamesTheSignalItsInitReported() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals("signal 9", ContainerRuntime.status(json.createObjectNode().put("ExitCode", 137)));
        assertEquals("signal 15", ContainerRuntime.status(json.createObjectNode().put("ExitCode", 143)));
        assertEquals("exit 3", ContainerRuntime.status(json.createObjectNode().put("ExitCode", 3)));
    }
}

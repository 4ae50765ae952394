package io.berth.logcollector;

import static io.berth.logcollector.RecordingCollector.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A real container whose stdout conmon writes to a k8s-file log with a small max-size, the way
 * the agent runs instances, tailed by the collector's tailer: every line once, in order, whole,
 * through conmon's own rotations. Needs podman and an image of Berth's base (any tag of
 * localhost/berth-base, or BERTH_TEST_IMAGE); skipped when there is none, as no image can be
 * pulled on these machines.
 */
class ConmonRotationIT {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final int LINES = 3000;

    @Test
    void conmonsOwnRotationsLoseNoLine() throws Exception {
        String image = image();
        Assumptions.assumeTrue(image != null, "no podman image of localhost/berth-base to run");
        Path logs = Files.createDirectories(Path.of("target/conmon-it").toAbsolutePath())
                .resolve(UUID.randomUUID().toString().substring(0, 8)).resolve("logs");
        Path file = logs.resolve("shop").resolve("shop-1-conmon.log");
        Files.createDirectories(file.getParent());
        String name = "berth-log-collector-it-" + UUID.randomUUID().toString().substring(0, 8);
        // ~105 bytes a line in the file: a rotation every ~95 lines, each file living ~200 ms (the
        // collector opens a new file within milliseconds; one unlinked before it is opened is lost)
        String script = "i=0; while [ $i -lt " + LINES + " ]; do"
                + " if [ $((i % 100)) -eq 50 ]; then printf 'seq=%d printed in' $i; sleep 0.01; printf ' two writes\\n';"
                + " else echo \"seq=$i some text to make the line about sixty bytes long\"; fi;"
                + " i=$((i+1)); if [ $((i % 25)) -eq 0 ]; then sleep 0.05; fi; done; printf 'last words'";
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < LINES; i++) {
            expected.add(i % 100 == 50 ? "seq=" + i + " printed in two writes"
                    : "seq=" + i + " some text to make the line about sixty bytes long");
        }
        try (RecordingCollector collector = RecordingCollector.start(logs, List.of())) {
            Process podman = new ProcessBuilder("podman", "run", "--rm", "--name", name, "--runtime", "/usr/sbin/runc",
                    "--cgroup-manager=cgroupfs", "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
                    "--network", "none", "--log-driver", "k8s-file", "--log-opt", "path=" + file,
                    "--log-opt", "max-size=10kb", image, "sh", "-c", script)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(logs.resolveSibling("podman.err").toFile()).start();
            try {
                assertTrue(podman.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the container did not finish");
                assertEquals(0, podman.exitValue(), Files.readString(logs.resolveSibling("podman.err")));
            } finally {
                if (podman.isAlive()) {
                    new ProcessBuilder("podman", "rm", "-f", name).start().waitFor(30, TimeUnit.SECONDS);
                }
            }
            await(LINES + " lines", WAIT, () -> collector.count() >= LINES);
            String last = Files.readString(file);
            assertFalse(last.contains(" seq=0 "), "conmon rotated the file (its first lines are gone from disk)");
            assertEquals(expected, collector.messages(), "every line once, whole, in order");
            RotationTest.assertOnceEach(collector.shipped());

            // the instance is removed: the piece it printed without a newline goes out as a line
            Files.delete(file);
            await("the unfinished last line", WAIT, () -> collector.count() == LINES + 1);
            assertEquals("last words", collector.messages().get(LINES));
        }
    }

    /** An image of Berth's base that podman has, or null. */
    static String image() {
        String configured = System.getenv("BERTH_TEST_IMAGE");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        try {
            Process p = new ProcessBuilder("podman", "images", "--format", "{{.Repository}}:{{.Tag}}",
                    "--filter", "reference=localhost/berth-base").redirectErrorStream(true).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.exitValue() == 0 && out.startsWith("localhost/berth-base:") ? out.lines().findFirst().orElse(null)
                    : null;
        } catch (java.io.IOException | InterruptedException e) {
            return null;
        }
    }
}

package io.berth.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.TestAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * bench/zero-downtime at a smaller scale: the same scenario program (bench/lib/ZeroDowntime.java)
 * and the same separate load process, against the packaged services of {@link SystemPlatform}.
 */
@ExtendWith(SystemPlatform.class)
class ZeroDowntimeIT {

    @Test
    void noRequestFailsThroughARollingUpdateAScaleAndAPromotedCanary() throws Exception {
        SystemPlatform platform = SystemPlatform.get();
        Path log = SystemPlatform.TARGET.resolve("system/zero-downtime.log");
        Path lib = SystemPlatform.ROOT.resolve("bench/lib");
        Process scenario = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dberth.bench.lib=" + lib, lib.resolve("ZeroDowntime.java").toString(),
                platform.deployApi(), TestAuth.ADMIN_TOKEN, platform.gatewayUrl(), SystemPlatform.DOMAIN,
                SystemPlatform.SAMPLE_ARTIFACT.toString(), "100", "3000")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = scenario.waitFor(8, TimeUnit.MINUTES);
        if (!ended) {
            scenario.destroyForcibly();
        }
        List<String> out = Files.readAllLines(log);
        String summary = out.stream().filter(l -> l.contains(" requests, ")).findFirst().orElse("no summary; see " + log);
        assertTrue(ended, "the scenario did not end in 8 minutes; see " + log);
        assertTrue(summary.contains(" 0 failed"), summary + "\n" + String.join("\n", out));
        assertTrue(out.contains("after the promotion every answer came from v3"), String.join("\n", out));
        assertEquals(0, scenario.exitValue(), String.join("\n", out));
    }
}

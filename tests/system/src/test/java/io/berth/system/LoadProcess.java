package io.berth.system;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** bench/lib/GatewayLoad.java as its own process: steady GETs through the system tests' gateway. */
final class LoadProcess {
    private final Process process;
    private final PrintWriter control;
    private final Path log;

    private LoadProcess(Process process, Path log) {
        this.process = process;
        this.control = new PrintWriter(process.getOutputStream(), true);
        this.log = log;
    }

    static LoadProcess start(String app, int rate, int minRequests) throws Exception {
        SystemPlatform platform = SystemPlatform.get();
        Path log = SystemPlatform.TARGET.resolve("system/load-" + app + ".log");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", SystemPlatform.ROOT.resolve("bench/lib/GatewayLoad.java").toString(), platform.gatewayUrl(),
                app + "." + SystemPlatform.DOMAIN, Integer.toString(rate), Integer.toString(minRequests),
                Integer.toString(minRequests * 10))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new LoadProcess(process, log);
    }

    /** Stops once the minimum is sent, and returns everything it printed (the summary last). */
    List<String> stop() throws Exception {
        control.println("stop");
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the load did not end; see " + log);
        }
        return Files.readAllLines(log);
    }

    static String summary(List<String> output) {
        return output.stream().filter(l -> l.contains(" requests, ")).findFirst().orElse(String.join("\n", output));
    }
}

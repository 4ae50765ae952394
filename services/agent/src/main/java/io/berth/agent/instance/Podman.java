package io.berth.agent.instance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * podman's command line, run with the flags these machines need (runc, cgroupfs, the file events
 * backend, netavark), each call bounded by a timeout. The CLI rather than podman's REST service: decision 0009.
 */
final class Podman {
    /** What one podman call printed, and its exit status. */
    record Result(int status, String out, String err) {
        boolean ok() {
            return status == 0;
        }

        String problem() {
            String text = err.isBlank() ? out : err;
            return text.strip().lines().reduce((a, b) -> b).orElse("podman exited with status " + status);
        }
    }

    private final List<String> base;
    private final Duration timeout;

    Podman(String executable, String ociRuntime, String networkBackend, Duration timeout) {
        this.base = List.of(executable, "--runtime", ociRuntime, "--cgroup-manager=cgroupfs", "--events-backend=file",
                "--network-backend", networkBackend);
        this.timeout = timeout;
    }

    Result call(List<String> args) throws IOException {
        return call(args, Map.of(), null);
    }

    /**
     * Runs {@code podman <args>}; {@code env} is added to podman's own environment, which is how
     * values reach a container's {@code -e NAME} without ever being on a command line. {@code workDir}
     * (null: the agent's) is inherited by the conmon a {@code run} starts.
     */
    Result call(List<String> args, Map<String, String> env, java.nio.file.Path workDir) throws IOException {
        return call(args, env, workDir, timeout);
    }

    /** {@link #call(List, Map, java.nio.file.Path)} with a timeout of its own (a pull may take minutes). */
    Result call(List<String> args, Map<String, String> env, java.nio.file.Path workDir, Duration timeout)
            throws IOException {
        List<String> argv = new ArrayList<>(base);
        argv.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process process = builder.start();
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("podman " + args.get(0) + " did not finish within " + timeout.toSeconds() + " s");
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while podman " + args.get(0) + " ran", e);
        }
    }

    private static final java.util.concurrent.ExecutorService DRAINERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "agent-podman-output");
        t.setDaemon(true);
        return t;
    });

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, DRAINERS);
    }
}

package io.berth.gateway.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A {@link TestBackend} in its own JVM, so that a test can kill it with SIGKILL like a crashing instance. */
public final class TestBackendProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private TestBackendProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static TestBackendProcess start(String name) throws IOException {
        int port = HaproxyTestResource.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes = Path.of("target", "test-classes").toAbsolutePath().toString();
        Process process = new ProcessBuilder(java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", classes,
                TestBackend.class.getName(), String.valueOf(port), name).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
        String line = out.readLine(); // "listening on <port>" once it serves
        if (line == null || !line.startsWith("listening")) {
            process.destroyForcibly();
            throw new IOException("test backend " + name + " did not start: " + line);
        }
        return new TestBackendProcess(process, port);
    }

    public int port() {
        return port;
    }

    /** SIGKILL, as kill -9 does. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill9();
    }
}

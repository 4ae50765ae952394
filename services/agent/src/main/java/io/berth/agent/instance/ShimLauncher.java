package io.berth.agent.instance;

import io.berth.events.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts an instance under its shim (berth-shim.pl) and signals it. The instance gets a clean
 * environment: the platform's own variables (tokens, database passwords) never reach an app.
 */
public final class ShimLauncher {
    static final String SHIM_NAME = "berth-shim.pl";
    static final String CGROUP_PROCS_VARIABLE = "BERTH_SHIM_CGROUP_PROCS";
    private static final List<String> INHERITED = List.of("PATH", "LANG", "LC_ALL", "TZ", "JAVA_HOME");

    private final Path shim;
    private final String host;

    ShimLauncher(Path dataDir, String host) {
        this.shim = dataDir.resolve(SHIM_NAME);
        this.host = host;
        try (InputStream in = ShimLauncher.class.getResourceAsStream("/shim/" + SHIM_NAME)) {
            Files.createDirectories(dataDir);
            Files.copy(in, shim, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the instance shim in " + dataDir, e);
        }
    }

    /** Launches the shim for one run of an instance; the shim's own output goes to shim.log. */
    ProcessHandle launch(InstanceSpec spec, InstanceDirectory dir, int port, List<Path> cgroupProcs) throws IOException {
        List<String> argv = new ArrayList<>(List.of("perl", shim.toString(), dir.dir().toString(),
                dir.logFile().toString()));
        argv.addAll(spec.command());
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(dir.workDir().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.dir().resolve("shim.log").toFile()))
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        Map<String, String> inherited = new java.util.HashMap<>(env);
        env.clear();
        INHERITED.forEach(name -> {
            if (inherited.containsKey(name)) {
                env.put(name, inherited.get(name));
            }
        });
        env.put("HOME", dir.workDir().toString());
        env.putAll(spec.env());
        env.put("PORT", Integer.toString(port));
        env.put("HOST", host);
        env.put("BERTH_APP", spec.app());
        env.put("BERTH_RELEASE", Integer.toString(spec.release()));
        env.put("BERTH_INSTANCE", spec.id());
        env.put("BERTH_LOG_TOPIC", Topics.logs(spec.app()));
        if (!cgroupProcs.isEmpty()) {
            // for the shim only: it joins these before it runs the command, and drops the variable
            env.put(CGROUP_PROCS_VARIABLE, String.join(":", cgroupProcs.stream().map(Path::toString).toList()));
        }
        return builder.start().toHandle();
    }

    /** True when {@code pid} is the shim of the instance in {@code dir} (not a process that reused the pid). */
    static boolean isShimOf(long pid, InstanceDirectory dir) {
        return ProcessTable.commandLine(pid)
                .map(cmd -> cmd.contains(SHIM_NAME) && cmd.contains(dir.dir().toString()))
                .orElse(false);
    }

    /** SIGTERM to the shim, which passes it to the instance's whole process group. */
    static void terminate(long shimPid) {
        ProcessHandle.of(shimPid).ifPresent(ProcessHandle::destroy);
    }

    /** SIGKILL to every process of the instance's group and to its shim: nothing may outlive a stop. */
    static void kill(Long appPgid, Long shimPid) {
        if (appPgid != null) {
            for (long pid : ProcessTable.groupMembers(appPgid)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        if (shimPid != null) {
            ProcessHandle.of(shimPid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}

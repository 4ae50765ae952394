package io.berth.agent.instance;

import io.berth.events.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code podman run} of one instance, computed from its spec and nothing else: the isolation
 * every instance gets (a uid of its own through a user namespace, all capabilities dropped,
 * no-new-privileges, podman's default seccomp profile, a read-only root with only /tmp and the
 * work directory writable, cgroup limits on CPU, memory and pids, nofile limits), its team's
 * network, its CRI log file, and its environment. Pure, so that every rule is unit-tested.
 */
final class ContainerArgs {
    static final String AGENT_LABEL = "berth.io/agent-data";
    static final String INSTANCE_LABEL = "berth.io/instance";
    static final String WORK_DIR = "/work";
    static final String NAME_PREFIX = "berth-";

    /** The settings every container on this agent shares (berth.agent.container.*). */
    record Settings(String baseImage, int uid, int pidsLimit, int nofile, String tmpSize, String logMaxSize,
            List<Path> trustedCertificates, String pemBundle) {
    }

    /**
     * The argv after {@code podman}; the variables for its {@code --env-file} (one line each, so the
     * file holds the single-line values); and the multi-line values, which podman takes by name from its
     * own environment. No value is ever on a command line, where every user of the host could read it.
     */
    record Launch(List<String> args, List<String> envFile, Map<String, String> podmanEnv) {
    }

    /**
     * Names podman itself, Go's runtime or the dynamic loader would read from podman's environment: a
     * multi-line value under such a name could change how podman runs as root, so it is refused.
     */
    private static final java.util.regex.Pattern PODMAN_READS = java.util.regex.Pattern.compile(
            "LD_.*|GO[A-Z]*|CONTAINERS?_.*|PODMAN_.*|BUILDAH_.*|STORAGE_.*|XDG_.*|DOCKER_.*|REGISTRY_.*|TMPDIR|PATH|HOME"
                    + "|NOTIFY_SOCKET|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|SSL_CERT_.*|TZ|LANG|LC_.*|MALLOC_.*");

    /** Why the environment cannot be given to a container, or null when it can. */
    static String envProblem(Map<String, String> env) {
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getValue().indexOf('\0') >= 0) {
                return "the value of " + e.getKey() + " holds a NUL character";
            }
            if (multiLine(e.getValue()) && PODMAN_READS.matcher(e.getKey()).matches()) {
                return "the value of " + e.getKey() + " spans several lines, which this name cannot have on the container runtime";
            }
        }
        return null;
    }

    private static boolean multiLine(String value) {
        return value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
    }

    private ContainerArgs() {
    }

    static String name(String instanceId) {
        return NAME_PREFIX + instanceId;
    }

    static String network(String team) {
        return NAME_PREFIX + (team == null || team.isBlank() ? "default" : team);
    }

    static Launch run(InstanceSpec spec, int port, Settings settings, Path dataDir, Path logFile, Path envFile,
            Path artifact) {
        List<String> args = new ArrayList<>(List.of("run", "--detach", "--name", name(spec.id()),
                "--label", AGENT_LABEL + "=" + dataDir, "--label", INSTANCE_LABEL + "=" + spec.id(),
                "--label", "berth.io/app=" + spec.app(), "--hostname", spec.id(),
                // a range of 65536 host uids of its own: uid 10001 in one container is nobody in another
                "--userns=auto:size=65536", "--user", settings.uid() + ":" + settings.uid(),
                "--read-only", "--read-only-tmpfs=false",
                "--tmpfs", "/tmp:rw,nosuid,nodev,size=" + settings.tmpSize() + ",mode=1777",
                "--tmpfs", WORK_DIR + ":rw,nosuid,nodev,size=" + settings.tmpSize() + ",mode=1777",
                "--workdir", WORK_DIR,
                "--cap-drop=ALL", "--security-opt", "no-new-privileges",
                // an init as pid 1 passes SIGTERM on and reaps orphans, as tini does for docker run --init
                "--init",
                "--network", network(spec.team()),
                "--pids-limit", Integer.toString(settings.pidsLimit()),
                "--ulimit", "nofile=" + settings.nofile() + ":" + settings.nofile(),
                "--ulimit", "nproc=" + settings.pidsLimit() + ":" + settings.pidsLimit(),
                "--log-driver", "k8s-file", "--log-opt", "path=" + logFile,
                "--log-opt", "max-size=" + settings.logMaxSize()));
        InstanceSpec.Resources resources = spec.resources();
        if (resources != null && resources.memoryMiB() != null) {
            // no swap beyond the limit: going over it is an OOM kill, as on Kubernetes
            args.addAll(List.of("--memory", resources.memoryMiB() + "m", "--memory-swap", resources.memoryMiB() + "m"));
        }
        if (resources != null && resources.cpuMillis() != null) {
            args.addAll(List.of("--cpus", String.format(java.util.Locale.ROOT, "%.3f", resources.cpuMillis() / 1000.0)));
        }
        for (Path certificates : settings.trustedCertificates()) {
            args.addAll(List.of("--volume", certificates + ":" + certificates + ":ro"));
        }
        if (artifact != null) {
            args.addAll(List.of("--volume", artifact + ":" + artifact + ":ro"));
        }
        args.addAll(List.of("--env-file", envFile.toString()));
        List<String> lines = new ArrayList<>();
        Map<String, String> podmanEnv = new LinkedHashMap<>();
        environment(spec, port, settings).forEach((name, value) -> {
            if (multiLine(value)) {
                podmanEnv.put(name, value);
                args.addAll(List.of("--env", name));
            } else {
                lines.add(name + "=" + value);
            }
        });
        args.add(spec.image() != null ? spec.image() : settings.baseImage());
        args.addAll(spec.command());
        return new Launch(List.copyOf(args), List.copyOf(lines), Map.copyOf(podmanEnv));
    }

    /** The instance's environment: its release's variables, then what the platform tells every instance. */
    static Map<String, String> environment(InstanceSpec spec, int port, Settings settings) {
        Map<String, String> env = new LinkedHashMap<>();
        if (settings.pemBundle() != null) {
            // the host's CAs (a TLS-intercepting proxy's among them) for OpenSSL, Node.js and Python's requests
            env.put("SSL_CERT_FILE", settings.pemBundle());
            env.put("NODE_EXTRA_CA_CERTS", settings.pemBundle());
            env.put("REQUESTS_CA_BUNDLE", settings.pemBundle());
        }
        env.put("HOME", WORK_DIR);
        env.putAll(spec.env());
        env.put("PORT", Integer.toString(port));
        // its own network namespace: every address in it is its own
        env.put("HOST", "0.0.0.0");
        env.put("BERTH_APP", spec.app());
        env.put("BERTH_RELEASE", Integer.toString(spec.release()));
        env.put("BERTH_INSTANCE", spec.id());
        env.put("BERTH_LOG_TOPIC", Topics.logs(spec.app()));
        return env;
    }
}

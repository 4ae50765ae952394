package io.berth.agent.instance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.agent.AgentConfig;
import io.berth.common.problem.ProblemException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Instances as OCI containers under podman with runc, each watched by its conmon, which outlives the
 * agent: a restarted agent finds its containers by name and label and adopts them. A container is
 * named after its instance ({@code berth-<id>}), so podman itself refuses a second copy, and one
 * labelled with this agent's data directory but no instance of its own is removed as an orphan.
 */
final class ContainerRuntime implements InstanceRuntime {
    private static final Logger LOG = Logger.getLogger(ContainerRuntime.class);
    static final String NETWORK_LABEL = "berth.io/network";
    /** the teams' networks take their /24s from here: one firewall rule covers them all */
    static final String SUBNET_POOL = "10.89.128.0/17";
    private static final String OOM_FILE = "oom";

    private final Podman podman;
    private final ObjectMapper json;
    private final Path dataDir;
    private final List<Path> artifactRoots;
    private final ContainerArgs.Settings settings;
    private final String cgroupParent;
    private final HostFirewall firewall;
    private final java.time.Duration pullTimeout;
    private final List<String> insecureRegistries;
    private final Set<String> networks = ConcurrentHashMap.newKeySet();
    /** each running container's cgroup (relative to a hierarchy's root), for its usage */
    private final Map<String, String> cgroups = new ConcurrentHashMap<>();
    private volatile String isolationProblem;

    ContainerRuntime(AgentConfig config, ObjectMapper json) {
        AgentConfig.Container c = config.container();
        this.podman = new Podman(c.podman(), c.ociRuntime(), c.networkBackend(), c.callTimeout());
        this.json = json;
        this.dataDir = config.dataDir().toAbsolutePath();
        this.artifactRoots = config.artifactRoots().stream().map(p -> p.toAbsolutePath().normalize()).toList();
        List<Path> certificates = c.trustedCertificates().stream().filter(Files::isRegularFile).toList();
        String pem = certificates.stream().map(Path::toString).filter(p -> p.endsWith(".crt") || p.endsWith(".pem"))
                .findFirst().orElse(null);
        this.settings = new ContainerArgs.Settings(c.baseImage(), c.uid(), c.pidsLimit(), c.nofile(), c.tmpSize(),
                c.logMaxSize(), certificates, pem);
        this.cgroupParent = c.cgroupParent();
        this.firewall = c.firewall() ? new HostFirewall(SUBNET_POOL, c.openHostPorts()) : null;
        this.pullTimeout = c.pullTimeout();
        this.insecureRegistries = c.insecureRegistries().orElse(List.of());
    }

    /** Checks podman and the base image and closes the host's ports; what fails is said, and starts are refused. */
    void prepare() {
        try {
            Podman.Result version = podman.call(List.of("version", "--format", "{{.Client.Version}}"));
            if (!version.ok()) {
                isolationProblem = "podman does not run: " + version.problem();
            } else if (!podman.call(List.of("image", "exists", settings.baseImage())).ok()) {
                LOG.warnf("the base image %s is missing: command and artifact releases cannot start until it is "
                        + "built (bin/berth-dev up builds it)", settings.baseImage());
            }
        } catch (IOException e) {
            isolationProblem = "podman not found (" + e.getMessage() + "): install podman, runc and conmon";
        }
        if (isolationProblem == null && firewall != null) {
            try {
                firewall.apply();
            } catch (IOException e) {
                isolationProblem = "cannot close the host's ports to instances: " + e.getMessage();
            }
        }
        if (isolationProblem != null) {
            LOG.errorf("instances cannot start: %s", isolationProblem);
        }
    }

    @Override
    public void validate(InstanceSpec spec) {
        if (isolationProblem != null) {
            throw new ProblemException(io.berth.common.problem.Problem.of(503, "Runtime unavailable", isolationProblem));
        }
        String envProblem = ContainerArgs.envProblem(spec.env());
        if (envProblem != null) {
            throw ProblemException.invalidField("env", envProblem);
        }
        if (spec.artifact() != null) {
            artifact(spec.artifact());
        }
        if (spec.image() != null && ImagePull.referenceProblem(spec.image()) != null) {
            throw ProblemException.invalidField("image", ImagePull.referenceProblem(spec.image()));
        }
    }

    /**
     * Pulls an image release's image unless podman's storage has it. The team's credentials reach podman
     * in an authfile, 0600 in the instance's directory, that exists for this one pull.
     */
    @Override
    public void pull(InstanceSpec spec, InstanceDirectory dir) throws IOException {
        if (spec.image() == null || podman.call(List.of("image", "exists", spec.image())).ok()) {
            return;
        }
        String registry = ImagePull.registry(spec.image());
        InstanceSpec.RegistryAuth auth = spec.registryAuth();
        Path authFile = auth == null ? null : dir.dir().resolve(ImagePull.AUTH_FILE);
        long started = System.nanoTime();
        try {
            if (auth != null) {
                dir.write(ImagePull.AUTH_FILE, ImagePull.authFile(registry, auth.username(), auth.password()));
            }
            Podman.Result pulled = podman.call(ImagePull.args(spec.image(), ImagePull.insecure(registry, insecureRegistries),
                    authFile), Map.of(), null, pullTimeout);
            if (!pulled.ok()) {
                throw new IOException(ImagePull.failure(spec.image(), pulled.problem(), auth != null));
            }
        } finally {
            dir.delete(ImagePull.AUTH_FILE);
        }
        LOG.infof("pulled %s for %s in %d ms", spec.image(), spec.id(), (System.nanoTime() - started) / 1_000_000);
    }

    /** The artifact's real path, which must be a regular file under an artifact root (a symlink out is refused). */
    private Path artifact(String path) {
        Path real;
        try {
            real = Path.of(path).toRealPath();
        } catch (IOException e) {
            throw ProblemException.invalidField("artifact", "no such file on the agent's machine: " + path);
        }
        List<Path> roots = new ArrayList<>();
        for (Path root : artifactRoots) {
            try {
                roots.add(root.toRealPath());
            } catch (IOException missing) {
                // a root that does not exist holds nothing
            }
        }
        if (!Files.isRegularFile(real) || roots.stream().noneMatch(real::startsWith)) {
            throw ProblemException.invalidField("artifact", "must be a file under " + artifactRoots
                    + " (berth.agent.artifact-roots): it is mounted into the instance");
        }
        return real;
    }

    @Override
    public void create(InstanceSpec spec, InstanceDirectory dir, int port) throws IOException {
        String name = ContainerArgs.name(spec.id());
        ensureNetwork(ContainerArgs.network(spec.team()));
        Path envFile = dir.dir().resolve("env");
        Path artifact = spec.artifact() == null ? null : artifact(spec.artifact());
        ContainerArgs.Launch launch = ContainerArgs.run(spec, port, settings, dataDir, dir.logFile(), envFile, artifact);
        List<String> args = new ArrayList<>(launch.args());
        args.add(1, "--cgroup-parent=" + cgroupParent);
        dir.write("env", String.join("\n", launch.envFile()) + "\n");
        dir.delete(OOM_FILE);
        try {
            // one podman call, not a create and a start: on two cores each call's own start-up is what
            // 50 instances wait for. conmon 2.1.6 under podman 4.3 writes its "oom" mark into its working
            // directory, inherited from podman, and podman never reads it there (State.OOMKilled stays
            // false): so the instance's own directory, where ending() looks for it
            Podman.Result run = podman.call(args, launch.podmanEnv(), dir.dir());
            if (!run.ok() && run.err().contains("already in use")) {
                // a container left by the last run of this instance: never two
                podman.call(List.of("rm", "--force", "--time", "0", name));
                run = podman.call(args, launch.podmanEnv(), dir.dir());
            }
            if (!run.ok()) {
                throw new IOException(run.problem());
            }
        } finally {
            // podman has copied it into the container's configuration
            dir.delete("env");
        }
    }

    /** The container is running once {@link #create} returns: this reads its pids and its address. */
    @Override
    public Run start(InstanceSpec spec, InstanceDirectory dir, int port) throws IOException {
        return inspect(ContainerArgs.name(spec.id())).flatMap(state -> running(spec, dir, state))
                .orElseGet(() -> new Run(null, null, null));
    }

    /** The live run described by {@code podman inspect}, or empty when the container is not running. */
    private Optional<Run> running(InstanceSpec spec, InstanceDirectory dir, JsonNode container) {
        JsonNode state = container.path("State");
        long pid = state.path("Pid").asLong(0);
        // the container's init, not conmon: conmon outlives the container by the 1.8 s its cleanup takes,
        // and an instance that died must leave the pool at once
        Optional<ProcessHandle> monitor = pid > 0 && state.path("Running").asBoolean(false)
                ? ProcessHandle.of(pid) : Optional.empty();
        if (monitor.isEmpty()) {
            return Optional.empty();
        }
        dir.write("app.pid", Long.toString(pid));
        cgroups.put(spec.id(), state.path("CgroupPath").asText(""));
        String ip = null;
        var networks = container.path("NetworkSettings").path("Networks").fields();
        while (networks.hasNext() && ip == null) {
            String address = networks.next().getValue().path("IPAddress").asText("");
            ip = address.isEmpty() ? null : address;
        }
        return Optional.of(new Run(monitor.get(), ip, pid));
    }

    private Optional<JsonNode> inspect(String name) throws IOException {
        Podman.Result result = podman.call(List.of("container", "inspect", name));
        if (!result.ok()) {
            return Optional.empty();
        }
        JsonNode list = json.readTree(result.out());
        return list.isArray() && list.size() > 0 ? Optional.of(list.get(0)) : Optional.empty();
    }

    private void ensureNetwork(String network) throws IOException {
        if (networks.contains(network)) {
            return;
        }
        synchronized (networks) {
            if (podman.call(List.of("network", "exists", network)).ok()) {
                networks.add(network);
                return;
            }
            String problem = createNetwork(network);
            if (problem != null) {
                // the pool is spent on teams that have nothing running: free their /24s and try once more.
                // Creates run on one thread, so no container is being put on a network pruned here.
                podman.call(List.of("network", "prune", "--force", "--filter", "label=" + NETWORK_LABEL + "=team"));
                networks.clear();
                problem = createNetwork(network);
            }
            if (problem == null) {
                networks.add(network);
                return;
            }
            throw new IOException("cannot create the network " + network + ": " + problem);
        }
    }

    /** Creates the network on the first free /24 of the pool; null when it exists then, else why not. */
    private String createNetwork(String network) throws IOException {
        Set<String> taken = new java.util.HashSet<>();
        Podman.Result all = podman.call(List.of("network", "ls", "--format", "{{range .Subnets}}{{.Subnet}} {{end}}"));
        for (String subnet : all.out().split("\\s+")) {
            taken.add(subnet);
        }
        String problem = "no free /24 in " + SUBNET_POOL;
        // 10.89.128.0/24 .. 10.89.255.0/24
        for (int third = 128; third < 256; third++) {
            String subnet = "10.89." + third + ".0/24";
            if (taken.contains(subnet)) {
                continue;
            }
            Podman.Result created = podman.call(List.of("network", "create", "--subnet", subnet,
                    // isolate: no traffic to or from the other teams' networks; no DNS server on the bridge
                    "--opt", "isolate=true", "--disable-dns", "--label", NETWORK_LABEL + "=team", network));
            if (created.ok() || podman.call(List.of("network", "exists", network)).ok()) {
                return null;
            }
            problem = created.problem();
        }
        return problem;
    }

    @Override
    public Optional<Run> find(InstanceSpec spec, InstanceDirectory dir) {
        try {
            Optional<JsonNode> container = inspect(ContainerArgs.name(spec.id()))
                    .filter(c -> dataDir.toString().equals(c.path("Config").path("Labels").path(ContainerArgs.AGENT_LABEL).asText()));
            if (container.isEmpty()) {
                return Optional.empty();
            }
            Optional<Run> run = running(spec, dir, container.get());
            if (run.isEmpty()) {
                dir.write("exit", status(container.get().path("State")));
            }
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Ending ending(InstanceSpec spec, InstanceDirectory dir) {
        cgroups.remove(spec.id());
        try {
            Optional<JsonNode> container = inspect(ContainerArgs.name(spec.id()));
            // its init has just gone: conmon records the exit a few milliseconds later
            for (int i = 0; i < 40 && container.isPresent() && container.get().path("State").path("Running").asBoolean(false); i++) {
                Thread.sleep(50);
                container = inspect(ContainerArgs.name(spec.id()));
            }
            if (container.isEmpty()) {
                return new Ending("container gone", false);
            }
            JsonNode state = container.get().path("State");
            String status = status(state);
            dir.write("exit", status);
            boolean outOfMemory = state.path("OOMKilled").asBoolean(false) || Files.exists(dir.dir().resolve(OOM_FILE));
            dir.delete(OOM_FILE);
            return new Ending(status, outOfMemory);
        } catch (IOException e) {
            return new Ending("unknown (" + e.getMessage() + ")", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Ending("unknown (interrupted)", false);
        }
    }

    /** "exit N", or "signal N" where the init reports a child killed by a signal (128 + N). */
    static String status(JsonNode state) {
        int code = state.path("ExitCode").asInt(-1);
        return code > 128 && code <= 128 + 64 ? "signal " + (code - 128) : "exit " + code;
    }

    @Override
    public void terminate(InstanceSpec spec, InstanceDirectory dir, Run run) {
        signal(spec, "TERM");
    }

    @Override
    public void kill(InstanceSpec spec, InstanceDirectory dir, Run run) {
        signal(spec, "KILL");
    }

    private void signal(InstanceSpec spec, String signal) {
        try {
            podman.call(List.of("kill", "--signal", signal, ContainerArgs.name(spec.id())));
        } catch (IOException e) {
            LOG.warnf("cannot send SIG%s to %s: %s", signal, spec.id(), e.getMessage());
        }
    }

    @Override
    public void release(InstanceSpec spec, InstanceDirectory dir) {
        cgroups.remove(spec.id());
        try {
            podman.call(List.of("rm", "--force", "--time", "0", ContainerArgs.name(spec.id())));
        } catch (IOException e) {
            LOG.warnf("cannot remove the container of %s: %s", spec.id(), e.getMessage());
        }
    }

    @Override
    public void sweep(Set<String> keep) {
        try {
            Podman.Result list = podman.call(List.of("ps", "--all", "--filter",
                    "label=" + ContainerArgs.AGENT_LABEL + "=" + dataDir, "--format", "{{.Names}}"));
            for (String name : list.out().strip().split("\\s+")) {
                if (name.startsWith(ContainerArgs.NAME_PREFIX)
                        && !keep.contains(name.substring(ContainerArgs.NAME_PREFIX.length()))) {
                    LOG.infof("removing container %s: no instance of this agent's owns it", name);
                    podman.call(List.of("rm", "--force", "--time", "0", name));
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot list this agent's containers: %s", e.getMessage());
        }
    }

    @Override
    public Map<String, Usage> usage(Map<String, Long> pidsById) {
        Map<String, Usage> usage = new HashMap<>();
        pidsById.keySet().forEach(id -> {
            String cgroup = cgroups.get(id);
            if (cgroup != null && !cgroup.isEmpty()) {
                CgroupUsage.read(Path.of("/sys/fs/cgroup"), cgroup).ifPresent(u -> usage.put(id, u));
            }
        });
        return usage;
    }

    @Override
    public String describe() {
        return isolationProblem != null ? "containers: unavailable (" + isolationProblem + ")"
                : "containers under podman (" + settings.baseImage() + " for commands and artifacts), user namespaces, "
                        + "read-only roots, no capabilities, a network per team" + (firewall == null
                                ? ", the host's ports NOT closed to instances (berth.agent.container.firewall=false)" : "");
    }
}

package io.berth.agent.instance;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.agent.AgentConfig;
import io.berth.common.problem.ProblemException;
import io.berth.events.instance.InstanceState;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs instances as OS processes: starts each under its shim, restarts it with exponential backoff
 * when it ends without being asked, stops it gracefully (SIGTERM to the whole process group, then
 * SIGKILL after the grace period), and adopts the instances it finds alive after an agent restart.
 * Every state change goes through one thread, so transitions never race; each is recorded in the
 * watch log and published on berth.instances.
 */
@ApplicationScoped
public class Supervisor {
    private static final Logger LOG = Logger.getLogger(Supervisor.class);

    private final AgentConfig config;
    private final ObjectMapper json;
    // env values are sealed in spec.json when a key ring is configured: they are secrets as often as not
    private final java.util.Optional<io.berth.common.secret.SecretCipher> secrets;
    private final InstanceEvents events;
    private final HealthProber prober;
    private final WatchLog watchLog;
    private final Map<String, Instance> instances = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-supervisor");
        t.setDaemon(true);
        return t;
    });
    private ShimLauncher launcher;
    private CgroupLimits limits;

    Supervisor(AgentConfig config, ObjectMapper json, InstanceEvents events, HealthProber prober,
            io.berth.common.secret.SecretKeyRing secrets) {
        this.config = config;
        this.secrets = secrets.cipher();
        this.json = json;
        this.events = events;
        this.prober = prober;
        this.watchLog = new WatchLog(config.watchHistory());
    }

    void onStart(@Observes StartupEvent start) {
        launcher = new ShimLauncher(dataDir(), config.host());
        limits = new CgroupLimits(config.cgroupRoot(), config.cgroupParent(), config.enforceResources());
        call(() -> {
            try {
                adoptAll();
                limits.sweep(java.util.Set.copyOf(instances.keySet()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read the instances in " + dataDir(), e);
            }
            return null;
        });
        long usageMillis = config.usageInterval().toMillis();
        loop.scheduleWithFixedDelay(guarded(this::sampleUsage), usageMillis, usageMillis, TimeUnit.MILLISECONDS);
    }

    /** Instances keep running when the agent stops (the next agent adopts them) unless configured otherwise. */
    void onStop(@Observes ShutdownEvent stop) {
        loop.shutdownNow();
        if (config.stopInstancesOnShutdown()) {
            instances.values().forEach(i -> ShimLauncher.kill(appPid(i), i.shim == null ? null : i.shim.pid()));
            for (Instance instance : instances.values()) {
                // a cgroup can only be removed once its processes are gone
                if (instance.shim != null) {
                    instance.shim.onExit().completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
                }
                limits.release(instance.spec.id());
            }
        }
    }

    public WatchLog watchLog() {
        return watchLog;
    }

    public List<InstanceView> list(Optional<String> app) {
        return instances.values().stream()
                .filter(i -> app.isEmpty() || i.spec.app().equals(app.get()))
                .map(i -> i.view(config.host()))
                .sorted(Comparator.comparing(InstanceView::id))
                .toList();
    }

    public Optional<InstanceView> get(String id) {
        return Optional.ofNullable(instances.get(id)).map(i -> i.view(config.host()));
    }

    public Optional<Path> logFile(String id) {
        return Optional.ofNullable(instances.get(id)).map(i -> i.dir.logFile());
    }

    /** Starts an instance; asking again with the same spec is a no-op (idempotent), with another a conflict. */
    public InstanceView start(InstanceSpec spec) {
        return call(() -> {
            Instance existing = instances.get(spec.id());
            if (existing != null) {
                if (existing.spec.equals(spec)) {
                    return existing.view(config.host());
                }
                throw ProblemException.conflict("instance '" + spec.id() + "' already exists with another spec");
            }
            Instance instance = new Instance(spec, new InstanceDirectory(dataDir(), spec.app(), spec.id()), freePort());
            instance.dir.create(spec, json, secrets);
            instance.dir.write("port", Integer.toString(instance.port));
            instances.put(spec.id(), instance);
            change(instance, InstanceChange.ADDED, InstanceState.PENDING, "created");
            launch(instance);
            return instance.view(config.host());
        });
    }

    /**
     * Begins a graceful stop: the instance turns Terminating now (so the registry drops it), gets
     * SIGTERM after {@code drainSeconds}, SIGKILL after a further grace period, and is Terminated when
     * its processes are gone.
     */
    public Optional<InstanceView> stop(String id, Integer drainSeconds, Integer gracePeriodSeconds) {
        return call(() -> {
            Instance instance = instances.get(id);
            if (instance == null) {
                return Optional.empty();
            }
            if (!instance.stopping) {
                int grace = gracePeriodSeconds != null ? gracePeriodSeconds : instance.spec.gracePeriodSeconds();
                beginStop(instance, drainSeconds == null ? 0 : drainSeconds, grace);
            }
            return Optional.of(instance.view(config.host()));
        });
    }

    // ---------------------------------------------------------------- life of one instance

    private void launch(Instance instance) {
        instance.dir.delete("exit");
        instance.dir.delete("app.pid");
        instance.generation++;
        instance.passes = 0;
        instance.failures = 0;
        instance.appPid = null;
        // SO_REUSEADDR, as servers bind: connections of the last run in TIME_WAIT do not count
        if (instance.restarts > 0 && !bindable(instance.port, true)) {
            // its port went to another process while it was down: a restart there would only fail again
            instance.port = freePort();
            instance.dir.write("port", Integer.toString(instance.port));
        }
        try {
            instance.shim = launcher.launch(instance.spec, instance.dir, instance.port,
                    limits.prepare(instance.spec.id(), instance.spec.resources()));
        } catch (IOException e) {
            change(instance, InstanceChange.MODIFIED, InstanceState.FAILED, "cannot start: " + e.getMessage());
            scheduleRestart(instance);
            return;
        }
        instance.dir.write("shim.pid", Long.toString(instance.shim.pid()));
        instance.startedAt = Instant.now();
        change(instance, InstanceChange.MODIFIED, InstanceState.STARTING,
                instance.restarts == 0 ? "started" : "restarted (restart " + instance.restarts + ")");
        watchExit(instance);
        scheduleProbe(instance, instance.spec.health().initialDelayMillis());
    }

    private void watchExit(Instance instance) {
        int generation = instance.generation;
        instance.shim.onExit().thenRun(() -> loop.execute(guarded(() -> onExit(instance, generation))));
    }

    private void onExit(Instance instance, int generation) {
        if (instance.generation != generation || instances.get(instance.spec.id()) != instance) {
            return;
        }
        String ended = instance.dir.read("exit").orElse("shim ended");
        // the shim may have been killed itself: its instance must not outlive it
        ShimLauncher.kill(appPid(instance), null);
        instance.lastExit = ended;
        instance.shim = null;
        long oomKills = limits.oomKills(instance.spec.id());
        boolean outOfMemory = oomKills > instance.oomKills;
        instance.oomKills = oomKills;
        if (instance.stopping) {
            instance.dir.remove();
            limits.release(instance.spec.id());
            instances.remove(instance.spec.id());
            change(instance, InstanceChange.DELETED, InstanceState.TERMINATED, "stopped (" + ended + ")");
            return;
        }
        change(instance, InstanceChange.MODIFIED, InstanceState.FAILED, outOfMemory
                ? "OOMKilled: went over its memory limit of " + instance.spec.resources().memoryMiB() + " MiB"
                : describe(ended));
        scheduleRestart(instance);
    }

    private static String describe(String ended) {
        if (ended.startsWith("signal ")) {
            return "killed by signal " + ended.substring(7);
        }
        return ended.startsWith("exit ") ? "exited with status " + ended.substring(5) : ended;
    }

    private void scheduleRestart(Instance instance) {
        boolean ranLong = instance.startedAt != null
                && Duration.between(instance.startedAt, Instant.now()).compareTo(config.restartReset()) > 0;
        instance.crashesInARow = ranLong ? 0 : instance.crashesInARow + 1;
        long delay = Math.min(config.restartMaxDelay().toMillis(),
                config.restartInitialDelay().toMillis() << Math.min(Math.max(instance.crashesInARow - 1, 0), 20));
        int generation = instance.generation;
        loop.schedule(guarded(() -> {
            if (instance.generation == generation && !instance.stopping && instances.get(instance.spec.id()) == instance) {
                instance.restarts++;
                launch(instance);
            }
        }), delay, TimeUnit.MILLISECONDS);
    }

    private void beginStop(Instance instance, int drainSeconds, int graceSeconds) {
        instance.stopping = true;
        instance.dir.write("stopping", Integer.toString(graceSeconds));
        change(instance, InstanceChange.MODIFIED, InstanceState.TERMINATING, drainSeconds > 0
                ? "draining " + drainSeconds + " s, then stopping (grace " + graceSeconds + " s)"
                : "stopping (grace " + graceSeconds + " s)");
        if (instance.shim == null || !instance.shim.isAlive()) {
            // crashed and waiting for a restart: nothing runs, so it is gone now
            ShimLauncher.kill(appPid(instance), null);
            instance.dir.remove();
            limits.release(instance.spec.id());
            instances.remove(instance.spec.id());
            change(instance, InstanceChange.DELETED, InstanceState.TERMINATED, "stopped");
            return;
        }
        int generation = instance.generation;
        loop.schedule(guarded(() -> {
            if (instance.generation == generation && instance.shim != null && instance.shim.isAlive()) {
                ShimLauncher.terminate(instance.shim.pid());
            }
        }), drainSeconds * 1000L, TimeUnit.MILLISECONDS);
        loop.schedule(guarded(() -> {
            if (instance.generation == generation && instance.shim != null && instance.shim.isAlive()) {
                LOG.infof("instance %s did not stop within %d s: SIGKILL", instance.spec.id(), graceSeconds);
                ShimLauncher.kill(appPid(instance), instance.shim.pid());
            }
        }), (drainSeconds + graceSeconds) * 1000L, TimeUnit.MILLISECONDS);
    }

    private Long appPid(Instance instance) {
        if (instance.appPid == null) {
            instance.appPid = instance.dir.readLong("app.pid").orElse(null);
        }
        return instance.appPid;
    }

    // ---------------------------------------------------------------- health

    private void scheduleProbe(Instance instance, long delayMillis) {
        int generation = instance.generation;
        loop.schedule(guarded(() -> {
            if (instance.generation != generation || instance.stopping || instance.shim == null) {
                return;
            }
            appPid(instance);
            prober.probe(config.host(), instance.port, instance.spec.health())
                    .whenComplete((passed, error) -> loop.execute(guarded(() -> {
                        if (instance.generation == generation && !instance.stopping) {
                            onProbe(instance, passed != null && passed);
                            scheduleProbe(instance, instance.spec.health().intervalMillis());
                        }
                    })));
        }), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void onProbe(Instance instance, boolean passed) {
        HealthCheckSpec health = instance.spec.health();
        if (passed) {
            instance.passes++;
            instance.failures = 0;
            if (instance.state != InstanceState.READY && instance.passes >= health.successThreshold()) {
                change(instance, InstanceChange.MODIFIED, InstanceState.READY, "health check passed");
            } else if (instance.state == InstanceState.STARTING) {
                change(instance, InstanceChange.MODIFIED, InstanceState.RUNNING, "process running");
            }
        } else {
            instance.failures++;
            instance.passes = 0;
            if (instance.state == InstanceState.STARTING && appPid(instance) != null) {
                change(instance, InstanceChange.MODIFIED, InstanceState.RUNNING, "process running, not healthy yet");
            } else if (instance.state == InstanceState.READY && instance.failures >= health.failureThreshold()) {
                change(instance, InstanceChange.MODIFIED, InstanceState.UNREADY,
                        "health check failed " + instance.failures + " times");
            }
        }
    }

    // ---------------------------------------------------------------- adoption after an agent restart

    private void adoptAll() throws IOException {
        try (var dirs = InstanceDirectory.all(dataDir())) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                try {
                    adopt(dir);
                } catch (Exception e) {
                    LOG.errorf(e, "cannot adopt the instance in %s", dir);
                }
            }
        }
    }

    private void adopt(Path path) throws IOException {
        InstanceSpec spec = InstanceDirectory.readSpec(path, json, secrets);
        InstanceDirectory dir = new InstanceDirectory(dataDir(), spec.app(), spec.id());
        int port = dir.readLong("port").map(Long::intValue).orElseThrow(() -> new IOException("no port file"));
        Instance instance = new Instance(spec, dir, port);
        instance.appPid = dir.readLong("app.pid").orElse(null);
        Optional<ProcessHandle> shim = dir.readLong("shim.pid")
                .filter(pid -> ShimLauncher.isShimOf(pid, dir))
                .flatMap(ProcessHandle::of);
        instances.put(spec.id(), instance);
        boolean stopping = dir.read("stopping").isPresent();
        if (shim.isEmpty()) {
            // it ended while no agent watched: finish a stop, or restart it as if it had just crashed
            ShimLauncher.kill(instance.appPid, null);
            if (stopping) {
                dir.remove();
                limits.release(spec.id());
                instances.remove(spec.id());
                return;
            }
            instance.lastExit = dir.read("exit").orElse("ended while the agent was down");
            change(instance, InstanceChange.ADDED, InstanceState.FAILED, "adopted: " + describe(instance.lastExit));
            scheduleRestart(instance);
            return;
        }
        instance.shim = shim.get();
        instance.generation++;
        instance.startedAt = shim.get().info().startInstant().orElse(Instant.now());
        change(instance, InstanceChange.ADDED, InstanceState.RUNNING, "adopted after agent restart");
        watchExit(instance);
        if (stopping) {
            beginStop(instance, 0, Integer.parseInt(dir.read("stopping").orElse("0")));
        } else {
            scheduleProbe(instance, 0);
        }
    }

    // ---------------------------------------------------------------- usage

    private void sampleUsage() {
        long now = System.nanoTime();
        Map<Long, ProcessTable.GroupUsage> groups = null;
        for (Instance instance : instances.values()) {
            Long pgid = appPid(instance);
            if (pgid == null || instance.shim == null) {
                continue;
            }
            if (groups == null) {
                groups = ProcessTable.usageByGroup();
            }
            ProcessTable.GroupUsage usage = groups.getOrDefault(pgid, new ProcessTable.GroupUsage(0, 0, 0));
            if (instance.lastCpuTicks >= 0 && usage.cpuTicks() >= instance.lastCpuTicks) {
                double seconds = (now - instance.lastSampleNanos) / 1e9;
                instance.cpuPercent = Math.round(
                        (usage.cpuTicks() - instance.lastCpuTicks) * 1000.0 / ProcessTable.TICKS_PER_SECOND / seconds) / 10.0;
            }
            instance.lastCpuTicks = usage.cpuTicks();
            instance.lastSampleNanos = now;
            instance.memoryBytes = usage.residentBytes();
            events.usage(instance.spec.app(), instance.spec.id(), instance.cpuPercent, instance.memoryBytes);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void change(Instance instance, String type, InstanceState state, String reason) {
        instance.state = state;
        instance.reason = reason;
        instance.version = watchLog.nextVersion();
        InstanceView view = instance.view(config.host());
        watchLog.record(new InstanceChange(type, instance.version, view));
        events.stateChanged(instance.spec, view);
        LOG.debugf("%s %s: %s", instance.spec.id(), state, reason);
    }

    private int freePort() {
        Set<Integer> taken = new HashSet<>();
        instances.values().forEach(i -> taken.add(i.port));
        for (int port = config.portRangeStart(); port <= config.portRangeEnd(); port++) {
            if (!taken.contains(port) && bindable(port, false)) {
                return port;
            }
        }
        throw new ProblemException(io.berth.common.problem.Problem.of(503, "No free port",
                "every port from " + config.portRangeStart() + " to " + config.portRangeEnd() + " is taken"));
    }

    private boolean bindable(int port, boolean reuseAddress) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(reuseAddress);
            socket.bind(new InetSocketAddress(config.host(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Path dataDir() {
        return config.dataDir().toAbsolutePath();
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("supervisor task failed", e);
            }
        };
    }

    /** Runs {@code work} on the supervisor thread and waits for it (API calls are few and short). */
    private <T> T call(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, loop).get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the agent's supervisor did not answer within 30 s", e);
        }
    }
}

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
 * Decides the life of every instance: starts it on the runtime (a container, or a process under
 * the shim), restarts it with exponential backoff when it ends without being asked, stops it
 * gracefully (SIGTERM, then SIGKILL after the grace period), and adopts the instances it finds
 * alive after an agent restart. Every state change goes through one thread, so transitions never
 * race; each is recorded in the watch log and published on berth.instances. Starts run on a thread
 * of their own, one at a time (podman's user-namespace allocation hangs when creates overlap), so
 * a slow start never holds up the API, probes or stops.
 */
@ApplicationScoped
public class Supervisor {
    private static final Logger LOG = Logger.getLogger(Supervisor.class);
    private static final int STARTERS = 4;
    /** how often the runs are checked for an end (see checkExits) */
    private static final long EXIT_CHECK_MILLIS = 100;

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
    /** creates runs one at a time (see InstanceRuntime.create) */
    private final java.util.concurrent.ExecutorService creator = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "agent-creator");
        t.setDaemon(true);
        return t;
    });
    /**
     * pulls images, a few at once and apart from the creator: one slow registry holds up only the
     * instances that wait for its image, never the creates of the others
     */
    private final java.util.concurrent.ExecutorService puller = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "agent-puller");
        t.setDaemon(true);
        return t;
    });
    /** finishes the starts, a few at once (a shim's launch; a container's inspect) */
    private final java.util.concurrent.ExecutorService starter = Executors.newFixedThreadPool(STARTERS, r -> {
        Thread t = new Thread(r, "agent-starter");
        t.setDaemon(true);
        return t;
    });
    private InstanceRuntime runtime;

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
        runtime = switch (config.runtime()) {
            case "process" -> new ProcessRuntime(dataDir(), config.host(),
                    new CgroupLimits(config.cgroupRoot(), config.cgroupParent(), config.enforceResources()));
            case "container" -> {
                ContainerRuntime containers = new ContainerRuntime(config, json);
                containers.prepare();
                yield containers;
            }
            default -> throw new IllegalStateException(
                    "berth.agent.runtime must be 'container' or 'process', not '" + config.runtime() + "'");
        };
        LOG.infof("instances run as %s", runtime.describe());
        call(() -> {
            try {
                adoptAll();
                runtime.sweep(java.util.Set.copyOf(instances.keySet()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read the instances in " + dataDir(), e);
            }
            return null;
        });
        long usageMillis = config.usageInterval().toMillis();
        loop.scheduleWithFixedDelay(guarded(this::sampleUsage), usageMillis, usageMillis, TimeUnit.MILLISECONDS);
        loop.scheduleWithFixedDelay(guarded(this::checkExits), EXIT_CHECK_MILLIS, EXIT_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Instances keep running when the agent stops (the next agent adopts them) unless configured otherwise. */
    void onStop(@Observes ShutdownEvent stop) {
        loop.shutdownNow();
        creator.shutdownNow();
        puller.shutdownNow();
        starter.shutdownNow();
        if (config.stopInstancesOnShutdown()) {
            instances.values().forEach(i -> runtime.kill(i.spec, i.dir, i.run));
            for (Instance instance : instances.values()) {
                // a cgroup can only be removed once its processes are gone
                if (instance.alive()) {
                    instance.run.monitor().onExit().completeOnTimeout(null, 2, TimeUnit.SECONDS).join();
                }
                runtime.release(instance.spec, instance.dir);
            }
        }
    }

    /** What runs instances here, for the node API. */
    public String runtimeDescription() {
        return runtime == null ? "starting" : runtime.describe();
    }

    public WatchLog watchLog() {
        return watchLog;
    }

    public List<InstanceView> list(Optional<String> app) {
        return instances.values().stream()
                .filter(i -> app.isEmpty() || i.spec.app().equals(app.get()))
                .map(Instance::view)
                .sorted(Comparator.comparing(InstanceView::id))
                .toList();
    }

    public Optional<InstanceView> get(String id) {
        return Optional.ofNullable(instances.get(id)).map(Instance::view);
    }

    public Optional<Path> logFile(String id) {
        return Optional.ofNullable(instances.get(id)).map(i -> i.dir.logFile());
    }

    /** Starts an instance; asking again with the same spec is a no-op (idempotent), with another a conflict. */
    public InstanceView start(InstanceSpec spec) {
        runtime.validate(spec);
        return call(() -> {
            Instance existing = instances.get(spec.id());
            if (existing != null) {
                // after an agent restart the stored spec has no credentials: a retry that has them is the same start
                if (existing.spec.withoutRegistryAuth().equals(spec.withoutRegistryAuth())) {
                    return existing.view();
                }
                throw ProblemException.conflict("instance '" + spec.id() + "' already exists with another spec");
            }
            Instance instance = new Instance(spec, new InstanceDirectory(dataDir(), spec.app(), spec.id()), freePort(),
                    config.host());
            instance.dir.create(spec, json, secrets);
            instance.dir.write("port", Integer.toString(instance.port));
            instances.put(spec.id(), instance);
            change(instance, InstanceChange.ADDED, InstanceState.PENDING, "created");
            launch(instance);
            return instance.view();
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
            return Optional.of(instance.view());
        });
    }

    // ---------------------------------------------------------------- life of one instance

    private void launch(Instance instance) {
        instance.dir.delete("exit");
        instance.dir.delete("app.pid");
        instance.generation++;
        instance.passes = 0;
        instance.failures = 0;
        instance.wasReady = false;
        instance.killedBecause = null;
        instance.appPid = null;
        // SO_REUSEADDR, as servers bind: connections of the last run in TIME_WAIT do not count
        if (instance.restarts > 0 && !bindable(instance.port, true)) {
            // its port went to another process while it was down: a restart there would only fail again
            instance.port = freePort();
            instance.dir.write("port", Integer.toString(instance.port));
        }
        instance.launching = true;
        int generation = instance.generation;
        int port = instance.port;
        puller.execute(() -> {
            try {
                runtime.pull(instance.spec, instance.dir);
            } catch (IOException | RuntimeException e) {
                loop.execute(guarded(() -> onStarted(instance, generation, null, e)));
                return;
            }
            creator.execute(() -> create(instance, generation, port));
        });
    }

    private void create(Instance instance, int generation, int port) {
        try {
            runtime.create(instance.spec, instance.dir, port);
        } catch (IOException | RuntimeException e) {
            loop.execute(guarded(() -> onStarted(instance, generation, null, e)));
            return;
        }
        starter.execute(() -> {
            InstanceRuntime.Run run = null;
            Exception failure = null;
            try {
                run = runtime.start(instance.spec, instance.dir, port);
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
            InstanceRuntime.Run started = run;
            Exception failed = failure;
            loop.execute(guarded(() -> onStarted(instance, generation, started, failed)));
        });
    }

    private void onStarted(Instance instance, int generation, InstanceRuntime.Run run, Exception failure) {
        instance.launching = false;
        if (instance.generation != generation || instances.get(instance.spec.id()) != instance) {
            return;
        }
        if (failure != null) {
            if (instance.stopping) {
                finishStop(instance, "stopped");
                return;
            }
            change(instance, InstanceChange.MODIFIED, InstanceState.FAILED, "cannot start: " + failure.getMessage());
            scheduleRestart(instance);
            return;
        }
        instance.run = run;
        if (run.host() != null) {
            instance.host = run.host();
        }
        instance.appPid = run.pid();
        instance.startedAt = Instant.now();
        if (instance.stopping) {
            // a stop asked for while it started: it ends now, and its end finishes the stop
            watchExit(instance);
            runtime.kill(instance.spec, instance.dir, run);
            return;
        }
        change(instance, InstanceChange.MODIFIED, InstanceState.STARTING,
                instance.restarts == 0 ? "started" : "restarted (restart " + instance.restarts + ")");
        watchExit(instance);
        scheduleProbe(instance, instance.spec.health().initialDelayMillis());
    }

    private void watchExit(Instance instance) {
        if (instance.run.monitor() == null) {
            InstanceRuntime.Run run = instance.run;
            loop.execute(guarded(() -> onExit(instance, run)));
        }
        // else checkExits sees it end
    }

    /**
     * Every 100 ms, which runs have ended. A container's monitor is not this JVM's child, and for such a
     * process {@code ProcessHandle.onExit} polls with a sleep that grows by 30 ms a turn up to 5 s: a
     * container that had run for minutes was seen dead seconds late, and kept its place in the pool.
     */
    private void checkExits() {
        for (Instance instance : instances.values()) {
            InstanceRuntime.Run run = instance.run;
            if (run != null && run.monitor() != null && !run.monitor().isAlive()) {
                onExit(instance, run);
            }
        }
    }

    private void onExit(Instance instance, InstanceRuntime.Run run) {
        if (instance.run != run || instances.get(instance.spec.id()) != instance) {
            return;
        }
        InstanceRuntime.Ending ending = runtime.ending(instance.spec, instance.dir);
        String ended = ending.status();
        instance.lastExit = ended;
        instance.run = null;
        if (instance.stopping) {
            finishStop(instance, "stopped (" + ended + ")");
            return;
        }
        change(instance, InstanceChange.MODIFIED, InstanceState.FAILED, instance.killedBecause != null
                ? instance.killedBecause
                : ending.outOfMemory()
                ? "OOMKilled: went over its memory limit" + (instance.spec.resources() == null
                        || instance.spec.resources().memoryMiB() == null ? ""
                                : " of " + instance.spec.resources().memoryMiB() + " MiB")
                : describe(ended));
        scheduleRestart(instance);
    }

    /** The instance is gone for good: its files and whatever the runtime held are freed. */
    private void finishStop(Instance instance, String reason) {
        instance.dir.remove();
        runtime.release(instance.spec, instance.dir);
        instances.remove(instance.spec.id());
        change(instance, InstanceChange.DELETED, InstanceState.TERMINATED, reason);
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
        if (instance.launching) {
            // its start finishes the stop (onStarted)
            return;
        }
        if (!instance.alive()) {
            // crashed and waiting for a restart: nothing runs, so it is gone now
            runtime.kill(instance.spec, instance.dir, null);
            finishStop(instance, "stopped");
            return;
        }
        int generation = instance.generation;
        loop.schedule(guarded(() -> {
            if (instance.generation == generation && instance.alive()) {
                runtime.terminate(instance.spec, instance.dir, instance.run);
            }
        }), drainSeconds * 1000L, TimeUnit.MILLISECONDS);
        loop.schedule(guarded(() -> {
            if (instance.generation == generation && instance.alive()) {
                LOG.infof("instance %s did not stop within %d s: SIGKILL", instance.spec.id(), graceSeconds);
                runtime.kill(instance.spec, instance.dir, instance.run);
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
            if (instance.generation != generation || instance.stopping || instance.run == null) {
                return;
            }
            appPid(instance);
            prober.probe(instance.host, instance.port, instance.spec.health())
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
            // an adopted instance may be READY already: it counts as having been Ready once it passes
            instance.wasReady |= instance.passes >= health.successThreshold();
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
            if (instance.wasReady && health.restartThreshold() != null && instance.failures >= health.restartThreshold()
                    && instance.killedBecause == null && instance.run != null) {
                // hung, not dead: its end is a crash like any other, restarted by onExit
                instance.killedBecause = "restarted: its health check failed " + instance.failures
                        + " times in a row (restartThreshold " + health.restartThreshold() + ")";
                LOG.infof("%s: %s", instance.spec.id(), instance.killedBecause);
                runtime.kill(instance.spec, instance.dir, instance.run);
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
        Instance instance = new Instance(spec, dir, port, config.host());
        instance.appPid = dir.readLong("app.pid").orElse(null);
        Optional<InstanceRuntime.Run> run = runtime.find(spec, dir);
        instances.put(spec.id(), instance);
        boolean stopping = dir.read("stopping").isPresent();
        if (run.isEmpty()) {
            // it ended while no agent watched: finish a stop, or restart it as if it had just crashed
            runtime.kill(spec, dir, null);
            if (stopping) {
                dir.remove();
                runtime.release(spec, dir);
                instances.remove(spec.id());
                return;
            }
            instance.lastExit = dir.read("exit").orElse("ended while the agent was down");
            change(instance, InstanceChange.ADDED, InstanceState.FAILED, "adopted: " + describe(instance.lastExit));
            scheduleRestart(instance);
            return;
        }
        instance.run = run.get();
        if (run.get().host() != null) {
            instance.host = run.get().host();
        }
        if (run.get().pid() != null) {
            instance.appPid = run.get().pid();
        }
        instance.generation++;
        instance.startedAt = run.get().monitor().info().startInstant().orElse(Instant.now());
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
        Map<String, Long> running = new java.util.HashMap<>();
        for (Instance instance : instances.values()) {
            Long pid = appPid(instance);
            if (pid != null && instance.run != null) {
                running.put(instance.spec.id(), pid);
            }
        }
        if (running.isEmpty()) {
            return;
        }
        Map<String, InstanceRuntime.Usage> usages = runtime.usage(running);
        long now = System.nanoTime();
        for (String id : running.keySet()) {
            Instance instance = instances.get(id);
            InstanceRuntime.Usage usage = usages.getOrDefault(id, new InstanceRuntime.Usage(0, 0));
            if (instance.lastCpuNanos >= 0 && usage.cpuNanos() >= instance.lastCpuNanos) {
                // percent of one core, to a tenth
                instance.cpuPercent = Math.round(
                        (usage.cpuNanos() - instance.lastCpuNanos) * 1000.0 / (now - instance.lastSampleNanos)) / 10.0;
            }
            instance.lastCpuNanos = usage.cpuNanos();
            instance.lastSampleNanos = now;
            instance.memoryBytes = usage.memoryBytes();
            events.usage(instance.spec.app(), instance.spec.id(), instance.cpuPercent, instance.memoryBytes);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void change(Instance instance, String type, InstanceState state, String reason) {
        instance.state = state;
        instance.reason = reason;
        instance.version = watchLog.nextVersion();
        InstanceView view = instance.view();
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

package io.berth.agent.instance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Enforces an instance's CPU and memory through cgroup v1 (the memory and cpu hierarchies): a
 * group per instance under {@code <root>/<controller>/<parent>/<instance>}, which the shim puts
 * the instance's process into before it runs the command, so every child it forks is held too.
 * Where cgroups cannot be written (cgroup v2 only, or no privilege) limits are not enforced: that
 * is said once at start, and instances still run, as they do on a Nomad raw_exec driver.
 */
public final class CgroupLimits {
    private static final Logger LOG = Logger.getLogger(CgroupLimits.class);
    /** the CFS period the quota is counted in: 100 ms, as the kernel and the kubelet default to */
    static final long CPU_PERIOD_MICROS = 100_000;

    private final Path memoryRoot;
    private final Path cpuRoot;
    private final boolean enforced;

    public CgroupLimits(Path cgroupRoot, String parent, boolean wanted) {
        this.memoryRoot = cgroupRoot.resolve("memory").resolve(parent);
        this.cpuRoot = cgroupRoot.resolve("cpu").resolve(parent);
        this.enforced = wanted && usable(cgroupRoot, parent);
    }

    private boolean usable(Path root, String parent) {
        if (!Files.isRegularFile(root.resolve("memory").resolve("memory.limit_in_bytes"))
                || !Files.isRegularFile(root.resolve("cpu").resolve("cpu.cfs_quota_us"))) {
            LOG.warnf("CPU and memory limits are not enforced: no cgroup v1 memory and cpu hierarchies under %s", root);
            return false;
        }
        try {
            Files.createDirectories(memoryRoot);
            Files.createDirectories(cpuRoot);
            return true;
        } catch (IOException e) {
            LOG.warnf("CPU and memory limits are not enforced: cannot create cgroups under %s (%s)", root, e.getMessage());
            return false;
        }
    }

    public boolean enforced() {
        return enforced;
    }

    /**
     * Creates (or re-creates) the instance's groups with its limits and returns the
     * {@code cgroup.procs} files its process must join; empty when nothing is enforced.
     */
    List<Path> prepare(String instance, InstanceSpec.Resources resources) throws IOException {
        if (!enforced || resources == null) {
            return List.of();
        }
        List<Path> procs = new ArrayList<>();
        if (resources.memoryMiB() != null) {
            Path group = Files.createDirectories(memoryRoot.resolve(instance));
            long bytes = resources.memoryMiB() * 1024L * 1024L;
            Files.writeString(group.resolve("memory.limit_in_bytes"), Long.toString(bytes));
            procs.add(group.resolve("cgroup.procs"));
        }
        if (resources.cpuMillis() != null) {
            Path group = Files.createDirectories(cpuRoot.resolve(instance));
            Files.writeString(group.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_MICROS));
            Files.writeString(group.resolve("cpu.cfs_quota_us"), Long.toString(resources.cpuMillis() * CPU_PERIOD_MICROS / 1000));
            procs.add(group.resolve("cgroup.procs"));
        }
        return procs;
    }

    /** How many processes of the instance's memory group the kernel's OOM killer has killed so far. */
    long oomKills(String instance) {
        if (!enforced) {
            return 0;
        }
        return read(memoryRoot.resolve(instance).resolve("memory.oom_control"))
                .flatMap(text -> text.lines().filter(l -> l.startsWith("oom_kill ")).findFirst())
                .map(line -> Long.parseLong(line.substring("oom_kill ".length()).trim()))
                .orElse(0L);
    }

    /** Removes the instance's groups once nothing runs in them. */
    void release(String instance) {
        if (!enforced) {
            return;
        }
        for (Path group : List.of(memoryRoot.resolve(instance), cpuRoot.resolve(instance))) {
            try {
                Files.deleteIfExists(group);
            } catch (IOException e) {
                LOG.debugf("cgroup %s not removed: %s", group, e.getMessage());
            }
        }
    }

    /** Removes the empty groups of instances this agent no longer has (left by a stop it did not see end). */
    void sweep(java.util.Set<String> keep) {
        if (!enforced) {
            return;
        }
        for (Path root : List.of(memoryRoot, cpuRoot)) {
            try (var groups = Files.list(root)) {
                groups.filter(Files::isDirectory)
                        .filter(group -> !keep.contains(group.getFileName().toString()))
                        .forEach(group -> {
                            try {
                                Files.deleteIfExists(group);
                            } catch (IOException e) {
                                LOG.debugf("cgroup %s not removed: %s", group, e.getMessage());
                            }
                        });
            } catch (IOException e) {
                LOG.debugf("cannot list %s: %s", root, e.getMessage());
            }
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

package io.berth.agent.instance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instances as plain OS processes under the shim, with cgroup v1 limits where they can be written:
 * no isolation beyond a clean environment, so only for code the operator trusts (the runtime the
 * agent had before containers; {@code berth.agent.runtime=process}).
 */
final class ProcessRuntime implements InstanceRuntime {
    private final ShimLauncher launcher;
    private final CgroupLimits limits;
    private final String host;
    /** the OOM kills counted in each instance's memory group so far: a new one means the last exit was one */
    private final Map<String, Long> oomKills = new ConcurrentHashMap<>();

    ProcessRuntime(Path dataDir, String host, CgroupLimits limits) {
        this.launcher = new ShimLauncher(dataDir, host);
        this.limits = limits;
        this.host = host;
    }

    @Override
    public void validate(InstanceSpec spec) {
        if (spec.image() != null) {
            throw io.berth.common.problem.ProblemException.invalidField("image",
                    "this agent runs instances as processes (berth.agent.runtime=process): an image needs the container runtime");
        }
    }

    @Override
    public void create(InstanceSpec spec, InstanceDirectory dir, int port) {
        // a shim is started in one step
    }

    @Override
    public Run start(InstanceSpec spec, InstanceDirectory dir, int port) throws IOException {
        dir.delete("app.pid");
        ProcessHandle shim = launcher.launch(spec, dir, port, limits.prepare(spec.id(), spec.resources()));
        dir.write("shim.pid", Long.toString(shim.pid()));
        return new Run(shim, host, null);
    }

    @Override
    public Optional<Run> find(InstanceSpec spec, InstanceDirectory dir) {
        return dir.readLong("shim.pid")
                .filter(pid -> ShimLauncher.isShimOf(pid, dir))
                .flatMap(ProcessHandle::of)
                .map(shim -> new Run(shim, host, dir.readLong("app.pid").orElse(null)));
    }

    @Override
    public Ending ending(InstanceSpec spec, InstanceDirectory dir) {
        // the shim may have been killed itself: its instance must not outlive it
        ShimLauncher.kill(dir.readLong("app.pid").orElse(null), null);
        long kills = limits.oomKills(spec.id());
        Long before = oomKills.put(spec.id(), kills);
        return new Ending(dir.read("exit").orElse("shim ended"), kills > (before == null ? 0 : before));
    }

    @Override
    public void terminate(InstanceSpec spec, InstanceDirectory dir, Run run) {
        ShimLauncher.terminate(run.monitor().pid());
    }

    @Override
    public void kill(InstanceSpec spec, InstanceDirectory dir, Run run) {
        ShimLauncher.kill(dir.readLong("app.pid").orElse(null), run == null ? null : run.monitor().pid());
    }

    @Override
    public void release(InstanceSpec spec, InstanceDirectory dir) {
        oomKills.remove(spec.id());
        limits.release(spec.id());
    }

    @Override
    public void sweep(Set<String> keep) {
        limits.sweep(keep);
    }

    @Override
    public Map<String, Usage> usage(Map<String, Long> pidsById) {
        Map<Long, ProcessTable.GroupUsage> groups = ProcessTable.usageByGroup();
        Map<String, Usage> usage = new HashMap<>();
        pidsById.forEach((id, pgid) -> {
            ProcessTable.GroupUsage group = groups.getOrDefault(pgid, new ProcessTable.GroupUsage(0, 0, 0));
            usage.put(id, new Usage(group.cpuTicks() * (1_000_000_000L / ProcessTable.TICKS_PER_SECOND),
                    group.residentBytes()));
        });
        return usage;
    }

    @Override
    public String describe() {
        return "processes under the shim, not isolated (trusted apps only); CPU and memory limits "
                + (limits.enforced() ? "enforced through cgroup v1" : "not enforced");
    }
}

package io.berth.agent.instance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A container's CPU time and resident memory, read from its cgroup: cgroup v1's cpuacct and
 * memory hierarchies, or the unified hierarchy of cgroup v2. Resident memory is the group's
 * anonymous memory (rss), not its page cache, as {@code docker stats} and the kubelet count it.
 */
final class CgroupUsage {
    private CgroupUsage() {
    }

    static Optional<InstanceRuntime.Usage> read(Path root, String cgroup) {
        String relative = cgroup.startsWith("/") ? cgroup.substring(1) : cgroup;
        try {
            if (Files.isRegularFile(root.resolve("cgroup.controllers"))) {
                Path group = root.resolve(relative);
                long cpuMicros = field(Files.readString(group.resolve("cpu.stat")), "usage_usec");
                long anon = field(Files.readString(group.resolve("memory.stat")), "anon");
                return Optional.of(new InstanceRuntime.Usage(cpuMicros * 1000, anon));
            }
            long cpuNanos = Long.parseLong(Files.readString(root.resolve("cpuacct").resolve(relative).resolve("cpuacct.usage")).strip());
            long rss = field(Files.readString(root.resolve("memory").resolve(relative).resolve("memory.stat")), "total_rss");
            return Optional.of(new InstanceRuntime.Usage(cpuNanos, rss));
        } catch (IOException | RuntimeException gone) {
            // the container ended while we looked
            return Optional.empty();
        }
    }

    /** The value of {@code name} in a flat-keyed cgroup file ("name value" per line); 0 when absent. */
    static long field(String text, String name) {
        return text.lines().filter(line -> line.startsWith(name + " ")).findFirst()
                .map(line -> Long.parseLong(line.substring(name.length() + 1).strip())).orElse(0L);
    }
}

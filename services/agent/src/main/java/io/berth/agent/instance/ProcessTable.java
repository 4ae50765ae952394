package io.berth.agent.instance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What Linux says about processes, read from /proc: the members of a process group (an instance
 * and everything it started), their CPU ticks and resident memory, and command lines (to tell our
 * shim from an unrelated process that reused its pid).
 */
public final class ProcessTable {
    static final long PAGE_SIZE = 4096;
    static final long TICKS_PER_SECOND = 100;

    /** CPU ticks used and resident bytes, summed over a process group. */
    public record GroupUsage(int processes, long cpuTicks, long residentBytes) {
    }

    private ProcessTable() {
    }

    /** Usage of every process group, from one pass over /proc (one pass serves all instances). */
    public static java.util.Map<Long, GroupUsage> usageByGroup() {
        java.util.Map<Long, GroupUsage> groups = new java.util.HashMap<>();
        for (long[] stat : stats()) {
            groups.merge(stat[1], new GroupUsage(1, stat[2], stat[3] * PAGE_SIZE), (a, b) ->
                    new GroupUsage(a.processes() + b.processes(), a.cpuTicks() + b.cpuTicks(),
                            a.residentBytes() + b.residentBytes()));
        }
        return groups;
    }

    public static List<Long> groupMembers(long pgid) {
        List<Long> members = new ArrayList<>();
        for (long[] stat : stats()) {
            if (stat[1] == pgid) {
                members.add(stat[0]);
            }
        }
        return members;
    }

    public static Optional<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return raw.length == 0 ? Optional.empty() : Optional.of(new String(raw).replace('\0', ' ').trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** [pid, pgrp, utime+stime, rss pages] of every process; fields per proc(5). */
    private static List<long[]> stats() {
        List<long[]> result = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String name = proc.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    // the command name (field 2) may hold spaces and parentheses: fields start after the last ')'
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // f[0] is field 3 (state): pgrp is field 5, utime 14, stime 15, rss 24
                    result.add(new long[] {Long.parseLong(name), Long.parseLong(f[2]),
                            Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[21])});
                } catch (IOException | RuntimeException vanished) {
                    // the process ended while we looked
                }
            }
        } catch (IOException e) {
            return result;
        }
        return result;
    }
}

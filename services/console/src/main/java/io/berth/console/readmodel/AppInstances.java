package io.berth.console.readmodel;

import io.berth.events.instance.InstanceState;
import io.berth.events.instance.InstanceStateChanged;
import io.berth.events.metric.InstanceUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The instances of one app as {@code berth.instances} says, the newest change of each by its
 * {@code version} (an older or repeated change is dropped), with each one's last CPU and memory
 * sample from {@code berth.metrics}. Thread-safe: the event reader writes, requests read; the counts
 * are kept ready after every change, so the overview reads them without a lock.
 */
public final class AppInstances {

    /** How many instances are Ready, and how many there are (neither terminating nor gone). */
    public record Counts(int ready, int total) {
        public static final Counts NONE = new Counts(0, 0);
    }

    /**
     * One instance that is there (not terminated), with its last usage sample (null fields: none in the
     * last hour).
     */
    public record Instance(String instance, int release, InstanceState state, Double cpuPercent, Long memoryBytes,
            Instant sampledAt) {
    }

    private record Latest(long version, InstanceState state, int release, Instant at) {
    }

    /** How long a terminated instance is remembered, against a late copy of one of its older changes. */
    static final java.time.Duration TOMBSTONE_KEPT = java.time.Duration.ofHours(1);

    private record Usage(double cpuPercent, long memoryBytes, Instant at) {
    }

    private final Map<String, Latest> byInstance = new HashMap<>();
    private final Map<String, Usage> usage = new HashMap<>();
    private volatile Counts counts = Counts.NONE;

    /** @return whether the change (made at {@code at}) was applied: it is newer than what was known of the instance */
    public synchronized boolean apply(InstanceStateChanged change, Instant at) {
        Latest known = byInstance.get(change.instance());
        if (known != null && known.version() >= change.version()) {
            return false;
        }
        // a terminated instance stays as a tombstone for a while, so that a late copy of an older
        // change cannot revive it; then it goes, or every instance an app ever had would stay
        byInstance.put(change.instance(), new Latest(change.version(), change.state(), change.release(), at));
        if (change.state() == InstanceState.TERMINATED) {
            usage.remove(change.instance());
            Instant forgotten = at.minus(TOMBSTONE_KEPT);
            byInstance.values().removeIf(l -> l.state() == InstanceState.TERMINATED && l.at().isBefore(forgotten));
        }
        counts = count(byInstance.values().stream().map(Latest::state).toList());
        return true;
    }

    /** Keeps the newest usage sample of the instance. */
    public synchronized void apply(InstanceUsage sample, Instant at) {
        Latest known = byInstance.get(sample.instance());
        if (known != null && known.state() == InstanceState.TERMINATED) {
            return;
        }
        Usage before = usage.get(sample.instance());
        if (before == null || !before.at().isAfter(at)) {
            usage.put(sample.instance(), new Usage(sample.cpuPercent(), sample.memoryBytes(), at));
        }
    }

    /** How many instances are remembered, tombstones included. */
    synchronized int remembered() {
        return byInstance.size();
    }

    public Counts counts() {
        return counts;
    }

    /** The instances that are there, by id. */
    public synchronized List<Instance> list() {
        List<Instance> list = new ArrayList<>();
        new TreeMap<>(byInstance).forEach((id, latest) -> {
            if (latest.state() == InstanceState.TERMINATED) {
                return;
            }
            Usage u = usage.get(id);
            list.add(new Instance(id, latest.release(), latest.state(), u == null ? null : u.cpuPercent(),
                    u == null ? null : u.memoryBytes(), u == null ? null : u.at()));
        });
        return list;
    }

    /** Ready ones, and all but those terminating or terminated (a failed instance is there and not ready). */
    static Counts count(Iterable<InstanceState> states) {
        int ready = 0;
        int total = 0;
        for (InstanceState state : states) {
            if (state == InstanceState.TERMINATED || state == InstanceState.TERMINATING) {
                continue;
            }
            total++;
            if (state == InstanceState.READY) {
                ready++;
            }
        }
        return new Counts(ready, total);
    }
}

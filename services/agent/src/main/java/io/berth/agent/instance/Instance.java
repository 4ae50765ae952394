package io.berth.agent.instance;

import io.berth.events.instance.InstanceState;
import java.time.Instant;

/**
 * One instance's live state. Only the supervisor's thread changes it; the API reads its views,
 * which are immutable snapshots.
 */
final class Instance {
    final InstanceSpec spec;
    final InstanceDirectory dir;
    /** may change on a restart, when another process took the port while the instance was down */
    int port;

    InstanceState state = InstanceState.PENDING;
    String reason;
    ProcessHandle shim;
    Long appPid;
    /** grows with every launch, so a callback of an earlier run is recognised and ignored */
    int generation;
    int restarts;
    int crashesInARow;
    String lastExit;
    /** the OOM kills counted in its memory group so far: a new one means the last exit was one */
    long oomKills;
    Instant startedAt;
    boolean stopping;
    int passes;
    int failures;
    long lastCpuTicks = -1;
    long lastSampleNanos;
    double cpuPercent;
    long memoryBytes;
    long version;

    Instance(InstanceSpec spec, InstanceDirectory dir, int port) {
        this.spec = spec;
        this.dir = dir;
        this.port = port;
    }

    InstanceView view(String host) {
        return new InstanceView(spec.id(), spec.app(), spec.release(), state, host, port, appPid, restarts, lastExit,
                reason, cpuPercent, memoryBytes, startedAt, version, spec.labels());
    }
}

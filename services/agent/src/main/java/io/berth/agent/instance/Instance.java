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
    /** where it listens: the container's address, or the agent's host for a process */
    String host;

    InstanceState state = InstanceState.PENDING;
    String reason;
    /** the current run; null while none runs */
    InstanceRuntime.Run run;
    /** a start is under way on the runtime's thread */
    boolean launching;
    Long appPid;
    /** grows with every launch, so a callback of an earlier run is recognised and ignored */
    int generation;
    int restarts;
    int crashesInARow;
    String lastExit;
    Instant startedAt;
    boolean stopping;
    int passes;
    int failures;
    /** Ready at least once in this run: only then may failed probes restart it */
    boolean wasReady;
    /** why the agent itself killed this run (its health checks), or null */
    String killedBecause;
    long lastCpuNanos = -1;
    long lastSampleNanos;
    double cpuPercent;
    long memoryBytes;
    long version;

    Instance(InstanceSpec spec, InstanceDirectory dir, int port, String host) {
        this.spec = spec;
        this.dir = dir;
        this.port = port;
        this.host = host;
    }

    boolean alive() {
        return run != null && run.monitor() != null && run.monitor().isAlive();
    }

    InstanceView view() {
        return new InstanceView(spec.id(), spec.app(), spec.release(), state, host, port, appPid, restarts, lastExit,
                reason, cpuPercent, memoryBytes, startedAt, version, spec.labels());
    }
}

package io.berth.agent.instance;

import io.berth.events.instance.InstanceState;
import java.time.Instant;
import java.util.Map;

/** An instance as clients see it: its spec's identity, where it listens, and how it is doing. */
public record InstanceView(String id, String app, int release, InstanceState state, String host, int port,
        Long pid, int restarts, String lastExit, String reason, double cpuPercent, long memoryBytes,
        Instant startedAt, long version, Map<String, String> labels) {
}

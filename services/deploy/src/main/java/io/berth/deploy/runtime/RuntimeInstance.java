package io.berth.deploy.runtime;

/** One instance as a runtime reports it, whatever the runtime. */
public record RuntimeInstance(String id, int release, String template, String state, boolean ready,
        boolean terminating, String host, int port, int restarts, String reason) {
}

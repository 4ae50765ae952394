package io.berth.deploy.runtime;

/** One instance as a runtime reports it, whatever the runtime. */
public record RuntimeInstance(String id, int release, String template, String state, boolean ready,
        boolean terminating, String host, int port, int restarts, String reason) {

    /** Ready by its own health check, but the gateway does not send it traffic yet. */
    public RuntimeInstance notServingYet() {
        return new RuntimeInstance(id, release, template, state, false, terminating, host, port, restarts,
                "Ready, not yet serving through the gateway");
    }
}

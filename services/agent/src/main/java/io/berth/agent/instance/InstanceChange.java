package io.berth.agent.instance;

/** One entry of the watch stream; {@code version} orders all changes of this agent. */
public record InstanceChange(String type, long version, InstanceView instance) {
    public static final String ADDED = "ADDED";
    public static final String MODIFIED = "MODIFIED";
    public static final String DELETED = "DELETED";
}

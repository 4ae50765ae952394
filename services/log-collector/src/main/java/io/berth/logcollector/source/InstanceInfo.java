package io.berth.logcollector.source;

/** Who wrote a log file: the instance, its app, team (null when unknown) and release (0 when unknown). */
public record InstanceInfo(String app, String team, String instance, int release) {
}

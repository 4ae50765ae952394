package io.berth.registrar.registry;

/** One instance in the registry: where its app can be reached, and with which weight. */
public record Registration(String app, String instance, int release, String team, String host, int port, int weight) {
}

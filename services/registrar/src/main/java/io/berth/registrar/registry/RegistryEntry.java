package io.berth.registrar.registry;

/**
 * One thing a backend holds, in a form every backend can compare: a DNS record
 * ({@code key} "name TYPE", {@code value} its data) or a Consul service instance. {@code instance}
 * is the instance it belongs to, or null for what the app's instances share (the app's A record).
 */
public record RegistryEntry(String app, String instance, String key, String value) {

    @Override
    public String toString() {
        return key + " " + value;
    }
}

package io.berth.gateway.model;

/**
 * One registered instance of an app, as the gateway routes it: a server in the app's backend.
 * {@code weight} is HAProxy's server weight (0..256): a canary gets a small one, 0 takes no new traffic.
 */
public record Member(String instance, int release, String host, int port, int weight) {
    public static final int MAX_WEIGHT = 256;

    public Member {
        if (instance == null || instance.isBlank()) {
            throw new IllegalArgumentException("instance is required");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        weight = Math.max(0, Math.min(MAX_WEIGHT, weight));
    }
}

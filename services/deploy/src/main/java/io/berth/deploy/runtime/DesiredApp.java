package io.berth.deploy.runtime;

import io.berth.deploy.release.ReleaseSpec;

/**
 * What the runtime must make true for one app: {@code replicas} instances of {@code release}
 * (its spec with defaults filled in) started at restart serial {@code restartSerial}.
 * {@code template} names that combination, as Kubernetes' pod-template-hash does. During a
 * canary phase ({@code canaryWeight} set) the runtime instead keeps the old instances as they are
 * and runs {@link #canaryInstances()} of the new release beside them, weighted so that together
 * they take about {@code canaryWeight} percent of the traffic.
 */
public record DesiredApp(String app, String team, int release, ReleaseSpec spec, int replicas, int restartSerial,
        Integer canaryWeight) {
    /** the gateway weight of every instance that is not a canary */
    public static final int BASE_WEIGHT = 100;
    /** HAProxy's largest server weight */
    static final int MAX_WEIGHT = 256;

    public DesiredApp(String app, String team, int release, ReleaseSpec spec, int replicas, int restartSerial) {
        this(app, team, release, spec, replicas, restartSerial, null);
    }

    public boolean canary() {
        return canaryWeight != null;
    }

    public String template() {
        // canary instances are a template of their own: once promoted, they are retired like old ones
        return template(release, restartSerial) + (canary() ? "c" : "");
    }

    public static String template(int release, int restartSerial) {
        return "r" + release + "s" + restartSerial;
    }

    /** Its share of the replicas, at least one, and enough that no instance needs a weight above HAProxy's maximum. */
    public int canaryInstances() {
        int share = (int) Math.round(replicas * canaryWeight / 100.0);
        int forWeight = (int) Math.ceil(totalCanaryWeight() / MAX_WEIGHT);
        return Math.max(1, Math.max(share, forWeight));
    }

    /** Each canary instance's weight: the old instances weigh {@link #BASE_WEIGHT} each. */
    public int canaryServerWeight() {
        return (int) Math.max(1, Math.min(MAX_WEIGHT, Math.round(totalCanaryWeight() / canaryInstances())));
    }

    private double totalCanaryWeight() {
        return (double) BASE_WEIGHT * Math.max(replicas, 1) * canaryWeight / (100 - canaryWeight);
    }
}

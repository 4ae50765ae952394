package io.berth.deploy.runtime;

import io.berth.deploy.release.ReleaseSpec;

/**
 * What the runtime must make true for one app: {@code replicas} instances of {@code release}
 * (its spec with defaults filled in) started at restart serial {@code restartSerial}.
 * {@code template} names that combination, as Kubernetes' pod-template-hash does.
 */
public record DesiredApp(String app, String team, int release, ReleaseSpec spec, int replicas, int restartSerial) {
    public String template() {
        return template(release, restartSerial);
    }

    public static String template(int release, int restartSerial) {
        return "r" + release + "s" + restartSerial;
    }
}

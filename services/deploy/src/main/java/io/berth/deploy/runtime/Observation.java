package io.berth.deploy.runtime;

/**
 * How far the runtime is from the desired state: {@code updated} instances run the desired
 * template, {@code updatedReady} of them are Ready, {@code old} instances of other templates are
 * still serving (not yet terminating).
 */
public record Observation(int desired, int updated, int updatedReady, int old) {
    public boolean complete() {
        return updated == desired && updatedReady == desired && old == 0;
    }
}

package io.berth.console.readmodel;

/** How a rollout ended, or that it has not yet. */
public enum DeployOutcome {
    IN_PROGRESS, COMPLETED, FAILED, ROLLED_BACK
}

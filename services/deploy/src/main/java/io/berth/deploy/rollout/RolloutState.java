package io.berth.deploy.rollout;

public enum RolloutState {
    PENDING, PROGRESSING, COMPLETED, FAILED, ROLLED_BACK;

    public boolean active() {
        return this == PENDING || this == PROGRESSING;
    }
}

package io.berth.deploy.rollout;

public enum RolloutState {
    /** CANARY: the canary serves its share and the rollout waits to be promoted or aborted */
    PENDING, PROGRESSING, CANARY, COMPLETED, FAILED, ROLLED_BACK;

    public static final java.util.List<RolloutState> ACTIVE = java.util.List.of(PENDING, PROGRESSING, CANARY);

    public boolean active() {
        return ACTIVE.contains(this);
    }
}

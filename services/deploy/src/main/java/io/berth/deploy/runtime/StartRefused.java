package io.berth.deploy.runtime;

/**
 * The runtime refused to start a release's instances, and would refuse every retry (the agent
 * answered 4xx: an artifact outside its roots, an image on the process runtime, an environment it
 * cannot pass on). Waiting for the progress deadline would only delay the rollback; the rollout
 * fails at once with this message.
 */
public class StartRefused extends RuntimeException {
    public StartRefused(String message) {
        super(message, null, false, false);
    }
}

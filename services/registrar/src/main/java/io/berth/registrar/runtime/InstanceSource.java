package io.berth.registrar.runtime;

import java.util.List;

/**
 * Where instances come from: the agent's watch stream today, a Kubernetes pod informer later.
 * A source delivers a full {@link Listener#snapshot} first (and again after every reconnect
 * that could have lost changes), then each change in the runtime's order.
 */
public interface InstanceSource {

    /** Starts delivering to {@code listener} from a thread of the source's own. */
    void start(Listener listener);

    /** Asks for a fresh full list (delivered as a snapshot), as a level-triggered safety net. */
    void resync();

    void stop();

    /** Receives what the runtime says; called from the source's thread, in order. */
    interface Listener {
        /** Every instance the runtime has now; any instance not in it is gone. */
        void snapshot(List<RuntimeInstance> instances);

        /** An instance was added or changed. */
        void changed(RuntimeInstance instance);

        /** An instance is gone; {@code last} is how it was last seen. */
        void removed(RuntimeInstance last);
    }
}

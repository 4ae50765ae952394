package io.berth.agent.instance;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How an instance's processes are run: the supervisor decides when (start, restart, stop, adopt),
 * a runtime does it. {@link ContainerRuntime} runs each instance as an OCI container under
 * podman; {@link ProcessRuntime} as a plain process under the agent's shim (trusted code only).
 */
interface InstanceRuntime {

    /**
     * One run of an instance: {@code monitor} is the process whose end is the run's end (the container's init, or
     * the shim; null when the run had already ended when it was looked at), {@code host} the address
     * the instance listens on, {@code pid} its main process as the host sees it (null until known).
     */
    record Run(ProcessHandle monitor, String host, Long pid) {
    }

    /** How a run ended: {@code "exit 3"} or {@code "signal 9"}, and whether the OOM killer ended it. */
    record Ending(String status, boolean outOfMemory) {
    }

    /** CPU time used (ns) and resident memory (bytes) of one instance. */
    record Usage(long cpuNanos, long memoryBytes) {
    }

    /** Refuses, with the field at fault, a spec this runtime cannot run (called before anything is stored). */
    void validate(InstanceSpec spec);

    /**
     * What a start needs that may take long and may run beside other starts (pulling an image release's
     * image): the supervisor calls it on a pool of its own before {@link #create}, so that one slow pull
     * never holds up the creates of other instances. A failure ends the start with its message.
     */
    default void pull(InstanceSpec spec, InstanceDirectory dir) throws IOException {
    }

    /**
     * The part of a start that must not race another (a container's {@code podman run}: podman's
     * allocation of user namespaces hangs when several race): the supervisor calls it on one thread,
     * one instance at a time.
     */
    void create(InstanceSpec spec, InstanceDirectory dir, int port) throws IOException;

    /** The rest of the start {@link #create} began; several run at once, off the supervisor's thread. */
    Run start(InstanceSpec spec, InstanceDirectory dir, int port) throws IOException;

    /** The run left alive by an earlier agent, if there is one: it is adopted, never started twice. */
    Optional<Run> find(InstanceSpec spec, InstanceDirectory dir);

    /** How the run that just ended (its monitor is gone) ended. */
    Ending ending(InstanceSpec spec, InstanceDirectory dir);

    /** Asks the instance to stop (SIGTERM to its processes). */
    void terminate(InstanceSpec spec, InstanceDirectory dir, Run run);

    /** Kills every process of the instance (SIGKILL): nothing may outlive a stop. {@code run} may be null. */
    void kill(InstanceSpec spec, InstanceDirectory dir, Run run);

    /** Frees what the instance held once it is gone for good (its cgroups, its container). */
    void release(InstanceSpec spec, InstanceDirectory dir);

    /** Removes what instances this agent no longer has left behind (an orphan never keeps running). */
    void sweep(Set<String> keep);

    /** The usage of the running instances, by instance id, from one pass. */
    Map<String, Usage> usage(Map<String, Long> pidsById);

    /** One line for the node API and the agent's start: what isolates instances here. */
    String describe();
}

package io.berth.events.instance;

/** The life of an instance, shaped like Kubernetes pod phases plus readiness. */
public enum InstanceState {
    PENDING, STARTING, RUNNING, READY, UNREADY, TERMINATING, TERMINATED, FAILED
}

package io.berth.gateway.reconcile;

import io.berth.gateway.model.Member;

/** One Runtime API change to one server of one app backend, as the diff decides it. */
public sealed interface PoolChange {
    String backend();

    String server();

    /** A registered instance HAProxy does not have yet: add it, start its health check, enable it. */
    record Add(String backend, String server, Member member) implements PoolChange {
    }

    /** The same instance now listens elsewhere. */
    record SetAddress(String backend, String server, String host, int port) implements PoolChange {
    }

    /** Canary weights and the like. */
    record SetWeight(String backend, String server, int weight) implements PoolChange {
    }

    /** A server that is registered again while it was draining or in maintenance. */
    record MakeReady(String backend, String server) implements PoolChange {
    }

    /** No longer registered: take no new requests, let the ones in flight finish. */
    record Drain(String backend, String server) implements PoolChange {
    }

    /**
     * Drained (idle) or drained for too long: maintenance, then delete. {@code cutOff} also shuts the
     * sessions that are still open, because the drain period is over.
     */
    record Remove(String backend, String server, boolean cutOff) implements PoolChange {
    }
}

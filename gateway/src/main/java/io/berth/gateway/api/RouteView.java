package io.berth.gateway.api;

import java.util.List;

/** One app as the gateway routes it: its host, its backend, its health check and its servers. */
public record RouteView(String app, String host, String backend, String healthCheck, boolean inHaproxy,
        List<ServerView> servers) {

    /**
     * One server of the app's backend.
     *
     * @param registered whether the registry (as the gateway last saw it) has this instance
     * @param state HAProxy's status: UP, DOWN, DRAIN, MAINT, "UP 1/2" ... or "pending" if HAProxy does not have it yet
     */
    public record ServerView(String instance, Integer release, String address, int port, int weight, boolean registered,
            String state, String checkStatus, long sessions) {
    }
}

package io.berth.gateway.reconcile;

import io.berth.gateway.haproxy.HaproxyNames;
import io.berth.gateway.haproxy.ServerStatus;
import io.berth.gateway.model.AppPool;
import io.berth.gateway.model.Member;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changes that make HAProxy's app backends equal to the desired pools: a pure function of the
 * desired state, what HAProxy reports and since when each unwanted server has been draining.
 *
 * <p>Servers are matched by name (the instance id). A server that is no longer wanted goes through
 * drain (no new requests) and is removed once it is idle or the drain period is over; it is never cut
 * off at once. A backend the layout does not have yet is skipped here: it takes a reload first.
 */
public final class PoolDiff {
    private PoolDiff() {
    }

    /**
     * @param authoritative whether {@code desired} is complete (the registry has been read at least once);
     *        until it is, the diff only adds and never drains, so a controller that starts while the
     *        registry is unreachable does not empty HAProxy
     */
    public static List<PoolChange> compute(Map<String, AppPool> desired, Map<String, Map<String, ServerStatus>> actual,
            Collection<String> actualBackends, Map<String, Instant> drainingSince, Instant now, Duration drainTimeout,
            boolean authoritative) {
        List<PoolChange> changes = new ArrayList<>();
        Map<String, Map<String, Member>> wanted = wantedByBackend(desired);
        Set<String> backends = new LinkedHashSet<>(actualBackends);
        backends.addAll(actual.keySet());

        wanted.forEach((backend, members) -> {
            if (!backends.contains(backend)) {
                return;
            }
            Map<String, ServerStatus> have = actual.getOrDefault(backend, Map.of());
            members.forEach((server, member) -> {
                ServerStatus current = have.get(server);
                if (current == null) {
                    changes.add(new PoolChange.Add(backend, server, member));
                    return;
                }
                if (!member.host().equals(current.address()) || member.port() != current.port()) {
                    changes.add(new PoolChange.SetAddress(backend, server, member.host(), member.port()));
                }
                if (member.weight() != current.weight()) {
                    changes.add(new PoolChange.SetWeight(backend, server, member.weight()));
                }
                if (current.inMaintenance() || current.draining()) {
                    changes.add(new PoolChange.MakeReady(backend, server));
                }
            });
        });

        if (!authoritative) {
            return changes;
        }
        actual.forEach((backend, servers) -> servers.forEach((server, current) -> {
            if (wanted.getOrDefault(backend, Map.of()).containsKey(server)) {
                return;
            }
            if (current.inMaintenance()) {
                changes.add(new PoolChange.Remove(backend, server, overdue(backend, server, drainingSince, now, drainTimeout)));
            } else if (!current.draining()) {
                changes.add(new PoolChange.Drain(backend, server));
            } else if (current.idle()) {
                changes.add(new PoolChange.Remove(backend, server, false));
            } else if (overdue(backend, server, drainingSince, now, drainTimeout)) {
                changes.add(new PoolChange.Remove(backend, server, true));
            }
        }));
        return changes;
    }

    /** The keys ({@code backend/server}) of servers HAProxy has but the desired state does not want. */
    public static Set<String> unwanted(Map<String, AppPool> desired, Map<String, Map<String, ServerStatus>> actual) {
        Map<String, Map<String, Member>> wanted = wantedByBackend(desired);
        Set<String> keys = new LinkedHashSet<>();
        actual.forEach((backend, servers) -> servers.keySet().stream()
                .filter(server -> !wanted.getOrDefault(backend, Map.of()).containsKey(server))
                .forEach(server -> keys.add(key(backend, server))));
        return keys;
    }

    public static String key(String backend, String server) {
        return backend + "/" + server;
    }

    private static boolean overdue(String backend, String server, Map<String, Instant> drainingSince, Instant now,
            Duration drainTimeout) {
        Instant since = drainingSince.get(key(backend, server));
        return since != null && !since.plus(drainTimeout).isAfter(now);
    }

    private static Map<String, Map<String, Member>> wantedByBackend(Map<String, AppPool> desired) {
        Map<String, Map<String, Member>> wanted = new HashMap<>();
        desired.values().forEach(pool -> {
            Map<String, Member> byServer = new HashMap<>();
            pool.members().values().forEach(m -> byServer.put(HaproxyNames.server(m.instance()), m));
            wanted.put(HaproxyNames.backend(pool.app()), byServer);
        });
        return wanted;
    }
}

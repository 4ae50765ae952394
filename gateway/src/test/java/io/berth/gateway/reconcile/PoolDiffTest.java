package io.berth.gateway.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.gateway.haproxy.ServerStatus;
import io.berth.gateway.model.AppPool;
import io.berth.gateway.model.Member;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PoolDiffTest {
    private static final Instant NOW = Instant.parse("2026-11-22T00:00:00Z");
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private static Map<String, AppPool> desired(Member... members) {
        Map<String, Member> byId = new java.util.TreeMap<>();
        for (Member m : members) {
            byId.put(m.instance(), m);
        }
        return Map.of("shop", new AppPool("shop", Optional.empty(), byId));
    }

    private static ServerStatus server(String name, int port, int admin, int weight, long sessions) {
        return new ServerStatus("app_shop", name, "127.0.0.1", port, admin, weight, "UP", "L7OK", sessions, 0);
    }

    private static List<PoolChange> diff(Map<String, AppPool> desired, Map<String, ServerStatus> servers,
            Map<String, Instant> since, boolean authoritative) {
        return PoolDiff.compute(desired, Map.of("app_shop", servers), List.of("app_shop"), since, NOW, DRAIN,
                authoritative);
    }

    @Test
    void addsWhatIsRegisteredAndMissing() {
        Member m = new Member("i1", 1, "127.0.0.1", 20001, 100);
        assertEquals(List.of(new PoolChange.Add("app_shop", "i1", m)), diff(desired(m), Map.of(), Map.of(), true));
    }

    @Test
    void equalStateNeedsNothing() {
        Member m = new Member("i1", 1, "127.0.0.1", 20001, 100);
        assertEquals(List.of(), diff(desired(m), Map.of("i1", server("i1", 20001, 0, 100, 3)), Map.of(), true));
    }

    @Test
    void weightAddressAndReadinessFollowTheRegistry() {
        Member m = new Member("i1", 1, "127.0.0.1", 20009, 10);
        assertEquals(List.of(new PoolChange.SetAddress("app_shop", "i1", "127.0.0.1", 20009),
                new PoolChange.SetWeight("app_shop", "i1", 10), new PoolChange.MakeReady("app_shop", "i1")),
                diff(desired(m), Map.of("i1", server("i1", 20001, 0x08, 100, 0)), Map.of(), true));
    }

    @Test
    void anUnregisteredServerDrainsThenGoesWhenIdleOrOverdue() {
        Map<String, AppPool> none = desired();
        assertEquals(List.of(new PoolChange.Drain("app_shop", "old")),
                diff(none, Map.of("old", server("old", 20001, 0, 100, 5)), Map.of(), true));
        // draining with requests in flight, within the drain period: wait
        assertEquals(List.of(), diff(none, Map.of("old", server("old", 20001, 0x08, 100, 5)),
                Map.of("app_shop/old", NOW.minusSeconds(5)), true));
        // idle: remove
        assertEquals(List.of(new PoolChange.Remove("app_shop", "old", false)),
                diff(none, Map.of("old", server("old", 20001, 0x08, 100, 0)), Map.of("app_shop/old", NOW), true));
        // the drain period is over: cut off
        assertEquals(List.of(new PoolChange.Remove("app_shop", "old", true)), diff(none,
                Map.of("old", server("old", 20001, 0x08, 100, 2)), Map.of("app_shop/old", NOW.minusSeconds(30)), true));
    }

    @Test
    void beforeTheRegistryIsReadNothingIsTakenAway() {
        Member m = new Member("i1", 1, "127.0.0.1", 20001, 100);
        assertEquals(List.of(new PoolChange.Add("app_shop", "i1", m)),
                diff(desired(m), Map.of("old", server("old", 20002, 0, 100, 0)), Map.of(), false));
    }

    @Test
    void aBackendHaproxyDoesNotHaveYetIsLeftToTheReload() {
        Member m = new Member("i1", 1, "127.0.0.1", 20001, 100);
        assertEquals(List.of(), PoolDiff.compute(desired(m), Map.of(), List.of(), Map.of(), NOW, DRAIN, true));
    }
}

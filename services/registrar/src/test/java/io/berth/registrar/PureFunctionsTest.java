package io.berth.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.events.instance.InstanceState;
import io.berth.registrar.consistency.Consistency;
import io.berth.registrar.consistency.ConsistencyReport;
import io.berth.registrar.consistency.Mismatch;
import io.berth.registrar.consistency.Observed;
import io.berth.registrar.dns.DnsLayout;
import io.berth.registrar.registry.DesiredRegistrations;
import io.berth.registrar.registry.EntryDiff;
import io.berth.registrar.registry.Registration;
import io.berth.registrar.registry.RegistryEntry;
import io.berth.registrar.runtime.InstanceTable;
import io.berth.registrar.runtime.RuntimeInstance;
import io.berth.registrar.runtime.ServerSentEvents;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

/** The registrar's decisions, which are pure functions: no server needed. */
class PureFunctionsTest {
    static RuntimeInstance instance(String id, InstanceState state, int port, Map<String, String> labels, long version) {
        return new RuntimeInstance(id, "shop", "team-a", 3, state, "127.0.0.1", port, null, labels, version);
    }

    @Test
    void onlyReadyInstancesWithAnAddressAreDesired() {
        List<RuntimeInstance> all = new ArrayList<>();
        int port = 20000;
        for (InstanceState state : InstanceState.values()) {
            all.add(instance("shop-" + state.name().toLowerCase(), state, port++, Map.of(), 1));
        }
        all.add(instance("shop-noport", InstanceState.READY, 0, Map.of(), 1));
        all.add(new RuntimeInstance("other-1", "other", null, 1, InstanceState.READY, "127.0.0.1", 1, null, null, 1));
        List<Registration> desired = DesiredRegistrations.forApp("shop", all);
        assertEquals(List.of(new Registration("shop", "shop-ready", 3, "team-a", "127.0.0.1", 20003, 100)), desired);
    }

    @Test
    void weightComesFromTheLabelWhenItIsAWeight() {
        assertEquals(10, DesiredRegistrations.registration(
                instance("a", InstanceState.READY, 1, Map.of("berth.io/weight", "10"), 1)).weight());
        assertEquals(100, DesiredRegistrations.registration(
                instance("a", InstanceState.READY, 1, Map.of("berth.io/weight", "999"), 1)).weight());
        assertEquals(100, DesiredRegistrations.registration(
                instance("a", InstanceState.READY, 1, Map.of("berth.io/weight", "x"), 1)).weight());
    }

    @Test
    void dnsLayoutHasTheAppAddressInstanceAddressSrvBrowseAndIndex() throws IOException {
        DnsLayout layout = new DnsLayout(Name.fromString("berth.internal."), "berth", 5);
        List<Registration> two = List.of(new Registration("shop", "shop-3-a", 3, "t", "127.0.0.1", 20001, 100),
                new Registration("shop", "shop-3-b", 3, "t", "127.0.0.1", 20002, 50));
        Set<String> records = layout.records("shop", two).stream().map(r -> r.toString().replaceAll("\\s+", " "))
                .collect(Collectors.toCollection(LinkedHashSet::new));
        assertEquals(Set.of(
                "shop.berth.internal. 5 IN A 127.0.0.1",
                "shop-3-a.shop.berth.internal. 5 IN A 127.0.0.1",
                "shop-3-b.shop.berth.internal. 5 IN A 127.0.0.1",
                "_http._tcp.shop.berth.internal. 5 IN SRV 0 100 20001 shop-3-a.shop.berth.internal.",
                "_http._tcp.shop.berth.internal. 5 IN SRV 0 50 20002 shop-3-b.shop.berth.internal.",
                "_http._tcp.berth.internal. 5 IN PTR _http._tcp.shop.berth.internal.",
                "berth._registrar.berth.internal. 5 IN TXT \"shop\""), records);
        assertTrue(layout.records("shop", List.of()).isEmpty(), "no instance, no record");
        // entries say which instance they belong to, and turn back into the same records
        for (var record : layout.records("shop", two)) {
            RegistryEntry entry = layout.entry("shop", record);
            assertEquals(record, layout.record(entry));
            String name = record.getName().toString();
            if (name.startsWith("shop-3-a") || record.rdataToString().contains("shop-3-a")) {
                assertEquals("shop-3-a", entry.instance());
            } else if (name.startsWith("shop-3-b") || record.rdataToString().contains("shop-3-b")) {
                assertEquals("shop-3-b", entry.instance());
            } else {
                assertEquals(null, entry.instance(), record.toString());
            }
        }
    }

    @Test
    void diffAddsWhatIsMissingAndRemovesWhatIsExtra() {
        RegistryEntry a = new RegistryEntry("shop", "a", "k", "1");
        RegistryEntry b = new RegistryEntry("shop", "b", "k", "2");
        RegistryEntry c = new RegistryEntry("shop", "c", "k", "3");
        EntryDiff diff = EntryDiff.between(Set.of(a, b), Set.of(b, c));
        assertEquals(Set.of(a), diff.add());
        assertEquals(Set.of(c), diff.remove());
        assertTrue(EntryDiff.between(Set.of(a), Set.of(a)).isEmpty());
    }

    @Test
    void consistencyNamesEachMissingAndUnexpectedEntryAndWhy() {
        List<RuntimeInstance> instances = List.of(
                instance("shop-a", InstanceState.READY, 1, Map.of(), 1),
                instance("shop-b", InstanceState.TERMINATING, 2, Map.of(), 1),
                instance("shop-c", InstanceState.UNREADY, 3, Map.of(), 1));
        List<Registration> desired = DesiredRegistrations.forApp("shop", instances);
        RegistryEntry shared = new RegistryEntry("shop", null, "shop A", "127.0.0.1");
        RegistryEntry a = new RegistryEntry("shop", "shop-a", "srv", "a");
        RegistryEntry b = new RegistryEntry("shop", "shop-b", "srv", "b");
        RegistryEntry ghost = new RegistryEntry("shop", "shop-z", "srv", "z");
        ConsistencyReport report = Consistency.report("shop", Instant.EPOCH, instances, desired, Map.of(
                "dns", new Observed(Set.of(shared, a), Set.of(shared, b, ghost), null),
                "consul", Observed.unreadable(Set.of(), "connection refused")));
        assertFalse(report.consistent());
        assertEquals(3, report.total());
        assertEquals(1, report.ready());
        assertEquals(0, report.registered());
        assertEquals(1, report.unhealthy());
        assertEquals(List.of(
                new Mismatch(null, "consul", Mismatch.UNREACHABLE, "connection refused"),
                new Mismatch("shop-a", "dns", Mismatch.MISSING, "dns lacks srv a (instance shop-a is READY)"),
                new Mismatch("shop-b", "dns", Mismatch.UNEXPECTED,
                        "dns holds srv b but instance shop-b is TERMINATING, not READY"),
                new Mismatch("shop-z", "dns", Mismatch.UNEXPECTED,
                        "dns holds srv z but instance shop-z is unknown to the runtime")), report.mismatches());

        ConsistencyReport good = Consistency.report("shop", Instant.EPOCH, instances, desired,
                Map.of("dns", new Observed(Set.of(shared, a), Set.of(shared, a), null)));
        assertTrue(good.consistent());
        assertEquals(1, good.registered());
    }

    @Test
    void tableIgnoresOlderVersionsAndReportsTouchedApps() {
        InstanceTable table = new InstanceTable();
        assertFalse(table.synced());
        assertEquals(Set.of("shop"), table.replace(List.of(instance("a", InstanceState.RUNNING, 1, Map.of(), 5))));
        assertTrue(table.synced());
        assertTrue(table.put(instance("a", InstanceState.READY, 1, Map.of(), 6)));
        assertFalse(table.put(instance("a", InstanceState.RUNNING, 1, Map.of(), 5)), "a replayed older change");
        assertEquals(InstanceState.READY, table.get("a").orElseThrow().state());
        assertFalse(table.remove(instance("a", InstanceState.TERMINATED, 1, Map.of(), 4)));
        assertTrue(table.remove(instance("a", InstanceState.TERMINATED, 1, Map.of(), 7)));
        assertEquals(Set.of(), table.replace(List.of()));
    }

    @Test
    void serverSentEventsJoinDataLinesAndSkipTheRest() {
        List<String> events = new ArrayList<>();
        ServerSentEvents sse = new ServerSentEvents(events::add);
        for (String line : List.of(": comment", "event: change", "data:{\"a\":", "data: 1}", "", "", "id: 7",
                "data:{\"b\":2}", "")) {
            sse.line(line);
        }
        assertEquals(List.of("{\"a\":\n1}", "{\"b\":2}"), events);
    }
}

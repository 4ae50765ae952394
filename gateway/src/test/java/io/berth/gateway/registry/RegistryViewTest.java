package io.berth.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.events.registration.InstanceDeregistered;
import io.berth.events.registration.InstanceRegistered;
import io.berth.gateway.model.AppPool;
import io.berth.gateway.model.Member;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryViewTest {

    private static Map<String, AppPool> registry(Member... members) {
        Map<String, Member> byId = new java.util.TreeMap<>();
        for (Member m : members) {
            byId.put(m.instance(), m);
        }
        return Map.of("shop", new AppPool("shop", Optional.of("/healthz"), byId));
    }

    @Test
    void anEventTwiceChangesNothingTheSecondTime() {
        RegistryView view = new RegistryView(Optional.empty());
        InstanceRegistered event = new InstanceRegistered("shop", "i1", 1, "127.0.0.1", 20001, 100);
        assertTrue(view.registered(event));
        assertFalse(view.registered(event));
        assertTrue(view.deregistered(new InstanceDeregistered("shop", "i1", "stop")));
        assertFalse(view.deregistered(new InstanceDeregistered("shop", "i1", "stop")));
    }

    @Test
    void aReadThatStartedBeforeAnEventDoesNotUndoIt() {
        RegistryView view = new RegistryView(Optional.of("/health"));
        long readStarted = System.nanoTime();
        view.registered(new InstanceRegistered("shop", "late", 1, "127.0.0.1", 20002, 100));
        view.snapshot(registry(new Member("i1", 1, "127.0.0.1", 20001, 100)), readStarted);
        assertEquals(Set.of("i1", "late"), view.desired().get("shop").members().keySet());
        assertTrue(view.authoritative());
        // a read that starts later is the truth again
        view.snapshot(registry(new Member("i1", 1, "127.0.0.1", 20001, 100)), System.nanoTime());
        assertEquals(Set.of("i1"), view.desired().get("shop").members().keySet());
        assertEquals(Optional.of("/healthz"), view.desired().get("shop").healthPath());
    }

    @Test
    void aDeregistrationAfterTheReadStartedStands() {
        RegistryView view = new RegistryView(Optional.empty());
        view.snapshot(registry(new Member("i1", 1, "127.0.0.1", 20001, 100)), System.nanoTime());
        long readStarted = System.nanoTime();
        view.deregistered(new InstanceDeregistered("shop", "i1", "stop"));
        view.snapshot(registry(new Member("i1", 1, "127.0.0.1", 20001, 100)), readStarted);
        assertTrue(view.desired().get("shop").members().isEmpty());
    }

    @Test
    void hostsBecomeAddresses() {
        RegistryView view = new RegistryView(Optional.empty());
        view.registered(new InstanceRegistered("shop", "i1", 1, "localhost", 20001, 100));
        String host = view.desired().get("shop").members().get("i1").host();
        assertTrue(host.equals("127.0.0.1") || host.contains(":"), host);
    }
}

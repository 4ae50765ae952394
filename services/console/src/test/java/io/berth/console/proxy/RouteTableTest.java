package io.berth.console.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private final RouteTable table = RouteTable.of(Map.of(
            "deploy", List.of("/api/apps"),
            "autoscaler", List.of("/api/apps/*/autoscaling"),
            "identity", List.of("/api/teams", "/api/me"),
            "gateway", List.of("/api/gateway")));

    @Test
    void longestPrefixWinsWhateverTheOrder() {
        assertEquals(Optional.of("autoscaler"), table.serviceFor("/api/apps/web/autoscaling"));
        assertEquals(Optional.of("autoscaler"), table.serviceFor("/api/apps/web/autoscaling/decisions"));
        assertEquals(Optional.of("deploy"), table.serviceFor("/api/apps/web"));
        assertEquals(Optional.of("deploy"), table.serviceFor("/api/apps"));
        assertEquals(Optional.of("deploy"), table.serviceFor("/api/apps/web/releases/3"));
    }

    @Test
    void segmentsMatchWholeNotByTheirStart() {
        assertEquals(Optional.of("deploy"), table.serviceFor("/api/apps/web/autoscalingx"));
        assertEquals(Optional.empty(), table.serviceFor("/api/appsx"));
        assertEquals(Optional.empty(), table.serviceFor("/api/meet"));
        assertEquals(Optional.of("identity"), table.serviceFor("/api/me"));
    }

    @Test
    void aPathNoneOwnsHasNoService() {
        assertEquals(Optional.empty(), table.serviceFor("/api/nothing"));
        assertEquals(Optional.empty(), table.serviceFor("/api"));
        assertEquals(Optional.empty(), table.serviceFor("/"));
    }

    @Test
    void aBadTableIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> RouteTable.of(Map.of("x", List.of("/apps"))));
        assertThrows(IllegalArgumentException.class, () -> RouteTable.of(Map.of("x", List.of("/api/a"), "y", List.of("/api/a"))));
    }
}

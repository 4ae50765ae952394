package io.berth.logindexer.document;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IndexNamesTest {
    final IndexNames names = new IndexNames("berth-logs");

    @Test
    void oneIndexPerAppAndUtcDay() {
        assertEquals("berth-logs-shop-2026.11.22", names.daily("shop", Instant.parse("2026-11-22T23:59:59.999Z")));
        assertEquals("berth-logs-my_app-2026.11.22", names.daily("My:App", Instant.parse("2026-11-22T00:00:00Z")));
        assertEquals("berth-logs-deadletter", names.deadLetter());
    }

    @Test
    void aWindowNamesExactlyItsDays() {
        assertEquals(List.of("berth-logs-shop-2026.11.21", "berth-logs-shop-2026.11.22"),
                names.covering("shop", Instant.parse("2026-11-21T23:59:00Z"), Instant.parse("2026-11-22T00:01:00Z")));
        assertEquals(List.of("berth-logs-shop-*"),
                names.covering("shop", Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-11-22T00:00:00Z")));
    }

    @Test
    void theDayOfAnIndex() {
        assertEquals(Optional.of(LocalDate.of(2026, 11, 2)), names.dayOf("berth-logs-shop-eu-2026.11.02"));
        assertEquals(Optional.empty(), names.dayOf("berth-logs-deadletter"));
        assertEquals(Optional.empty(), names.dayOf("other-shop-2026.11.02"));
    }

    @Test
    void theAppOfATopic() {
        assertEquals("shop", IndexNames.appOf("berth.logs.shop"));
        assertEquals("my.logs.x", IndexNames.appOf("berth.logs.my.logs.x"));
        assertEquals("shop", IndexNames.appOf("bench.logs.shop"));
        assertEquals("other", IndexNames.appOf("other"));
    }
}

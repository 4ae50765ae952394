package io.berth.logindexer.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.logindexer.document.IndexNames;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {
    @Test
    void deletesWholeDaysPastRetentionOnly() {
        List<String> indices = List.of("berth-logs-shop-2026.11.14", "berth-logs-shop-2026.11.15",
                "berth-logs-shop-2026.11.22", "berth-logs-deadletter", "berth-logs-a-b-2026.01.01");
        assertEquals(List.of("berth-logs-a-b-2026.01.01", "berth-logs-shop-2026.11.14"),
                Retention.expired(indices, new IndexNames("berth-logs"), LocalDate.of(2026, 11, 22), 7));
    }
}

package io.berth.logindexer.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.berth.common.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogQueryTest {
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    static LogQuery parse(String from, String to, String level, String size, String after) {
        return LogQuery.parse("shop", new LogQuery.Params(from, to, null, level, null, null, size, after), NOW,
                Duration.ofDays(8), 1000);
    }

    static String field(Runnable r) {
        ProblemException e = assertThrows(ProblemException.class, r::run);
        return e.problem().errors().get(0).field();
    }

    @Test
    void defaultsToTheRetentionWindowEndingNow() {
        LogQuery q = parse(null, null, null, null, null);
        assertEquals(NOW, q.to());
        assertEquals(NOW.minus(Duration.ofDays(8)), q.from());
        assertEquals(100, q.size());
    }

    @Test
    void takesRfc3339AndAges() {
        LogQuery q = parse("15m", "2026-11-22T11:00:00+01:00", "warn,ERROR", "10", null);
        assertEquals(NOW.minus(Duration.ofMinutes(15)), q.from());
        assertEquals(NOW, q.to());
        assertEquals(Set.of("warn", "error"), q.levels());
    }

    @Test
    void badInputNamesTheField() {
        assertEquals("from", field(() -> parse("2026-11-22T10:00:01Z", "2026-11-22T10:00:00Z", null, null, null)));
        assertEquals("from", field(() -> parse("yesterday", null, null, null, null)));
        assertEquals("to", field(() -> parse(null, "10:00", null, null, null)));
        assertEquals("level", field(() -> parse(null, null, "info,loud", null, null)));
        assertEquals("size", field(() -> parse(null, null, null, "0", null)));
        assertEquals("size", field(() -> parse(null, null, null, "1001", null)));
        assertEquals("size", field(() -> parse(null, null, null, "ten", null)));
        assertEquals("searchAfter", field(() -> parse(null, null, null, null, "not-a-cursor")));
        assertEquals("searchAfter", field(() -> parse(null, null, null, null, Cursor.encode(List.of(1L)))));
        assertEquals("app", field(() -> LogQuery.app("../etc")));
    }

    @Test
    void aCursorRoundTrips() {
        List<Long> values = List.of(1_763_805_600_123_456_789L, 2L, 41L);
        assertEquals(values, parse(null, null, null, null, Cursor.encode(values)).searchAfter());
    }
}

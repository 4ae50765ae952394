package io.berth.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void columnsAlignTwoSpacesApartAndNoLineEndsInSpaces() {
        String table = new Table("NAME", "REPLICAS", "REASON")
                .row("web", 2, "")
                .row("", 3, "marker column empty")
                .row("a-much-longer-name", 10, "crashed\nrestarting")
                .row("db", null, "ok")
                .render();
        assertEquals("""
                NAME                REPLICAS  REASON
                web                 2
                                    3         marker column empty
                a-much-longer-name  10        crashed restarting
                db                  -         ok
                """, table);
    }

    @Test
    void aRowMustFillTheColumns() {
        assertThrows(IllegalArgumentException.class, () -> new Table("A", "B").row("only one"));
    }

    @Test
    void agesReadLikeKubectls() {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        assertEquals("0s", Ages.since(now.plusSeconds(5), now), "a clock a little ahead is no negative age");
        assertEquals("45s", Ages.of(Duration.ofSeconds(45)));
        assertEquals("119s", Ages.of(Duration.ofSeconds(119)));
        assertEquals("3m20s", Ages.of(Duration.ofSeconds(200)));
        assertEquals("42m", Ages.of(Duration.ofMinutes(42)));
        assertEquals("2h10m", Ages.of(Duration.ofMinutes(130)));
        assertEquals("30h", Ages.of(Duration.ofHours(30)));
        assertEquals("3d4h", Ages.of(Duration.ofHours(76)));
        assertEquals("40d", Ages.of(Duration.ofDays(40)));
        assertEquals("5m", Ages.since("2026-11-22T09:55:00Z", now));
        assertEquals("5m", Ages.since("2026-11-22T10:55:00+01:00", now));
        assertEquals("-", Ages.since((String) null, now));
    }
}

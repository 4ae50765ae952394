package io.berth.cli.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TimeSpecTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant parse(String text) {
        return TimeSpec.parse(text, NOW, BERLIN);
    }

    @Test
    void agesCountBackFromNow() {
        assertEquals(Instant.parse("2026-11-22T09:50:00Z"), parse("10m"));
        assertEquals(Instant.parse("2026-11-22T09:58:30Z"), parse("90s"));
        assertEquals(Instant.parse("2026-11-22T08:30:00Z"), parse("1h30m"));
        assertEquals(Instant.parse("2026-11-20T10:00:00Z"), parse("2d"));
        assertEquals(Instant.parse("2026-11-15T10:00:00Z"), parse("1w"));
        assertEquals(Instant.parse("2026-11-22T09:59:59.500Z"), parse("500ms"));
        assertEquals(NOW, parse("now"));
        assertEquals(NOW, parse(" 0s "));
    }

    @Test
    void rfc3339TimesAreExact() {
        assertEquals(Instant.parse("2026-11-22T08:00:00Z"), parse("2026-11-22T08:00:00Z"));
        assertEquals(Instant.parse("2026-11-22T08:00:00Z"), parse("2026-11-22T09:00:00+01:00"));
        assertEquals(Instant.parse("2026-11-22T08:00:00.250Z"), parse("2026-11-22 08:00:00.25Z"));
    }

    @Test
    void localTimesAndDatesAreInTheMachinesZone() {
        assertEquals(Instant.parse("2026-11-22T09:00:00Z"), parse("2026-11-22 10:00"));
        assertEquals(Instant.parse("2026-11-22T09:00:30Z"), parse("2026-11-22T10:00:30"));
        assertEquals(Instant.parse("2026-11-21T23:00:00Z"), parse("2026-11-22"));
    }

    @Test
    void anythingElseSaysWhatItTakes() {
        for (String bad : new String[] {"", "10", "m", "10 minutes", "yesterday", "2026-13-01", "10x", "-5m"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(bad), bad);
            assertTrue(e.getMessage().contains("a time") || e.getMessage().contains("an age"), e.getMessage());
        }
    }
}

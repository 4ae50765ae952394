package io.berth.cli.output;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** How long ago, the way kubectl shows an AGE: 45s, 12m, 3h, 5d (and 2h10m / 1d4h while the smaller unit still matters). */
public final class Ages {
    private Ages() {
    }

    public static String since(Instant then, Instant now) {
        return of(Duration.between(then, now));
    }

    /** An API timestamp (RFC 3339) to an age, "-" when it is absent or unreadable. */
    public static String since(String rfc3339, Instant now) {
        if (rfc3339 == null || rfc3339.isBlank() || rfc3339.equals("null")) {
            return "-";
        }
        try {
            return since(OffsetDateTime.parse(rfc3339).toInstant(), now);
        } catch (DateTimeParseException e) {
            return rfc3339;
        }
    }

    public static String of(Duration age) {
        long s = Math.max(0, age.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return m + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
        }
        if (m < 120) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 10) {
            return h + "h" + (m % 60 == 0 ? "" : m % 60 + "m");
        }
        if (h < 48) {
            return h + "h";
        }
        long d = h / 24;
        if (d < 10) {
            return d + "d" + (h % 24 == 0 ? "" : h % 24 + "h");
        }
        return d + "d";
    }
}

package io.berth.logcollector.cri;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 timestamps as CRI writers print them. The common form (UTC, {@code Z}, up to nine
 * fraction digits, as the agent's shim and containerd write) is read by hand because a
 * DateTimeFormatter costs about a microsecond a line; anything else goes through OffsetDateTime.
 */
public final class Timestamps {
    private static final long NANOS = 1_000_000_000L;

    private Timestamps() {
    }

    /** Nanoseconds since the epoch, or {@code Long.MIN_VALUE} when the bytes are not a timestamp. */
    public static long parseNanos(byte[] b, int from, int to) {
        int len = to - from;
        if (len >= 20 && b[to - 1] == 'Z' && b[from + 4] == '-' && b[from + 7] == '-' && b[from + 10] == 'T'
                && b[from + 13] == ':' && b[from + 16] == ':') {
            int year = digits(b, from, 4);
            int month = digits(b, from + 5, 2);
            int day = digits(b, from + 8, 2);
            int hour = digits(b, from + 11, 2);
            int minute = digits(b, from + 14, 2);
            int second = digits(b, from + 17, 2);
            long fraction = 0;
            boolean ok = year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour < 24
                    && minute >= 0 && minute < 60 && second >= 0 && second < 61;
            int p = from + 19;
            if (ok && p < to - 1) {
                if (b[p] != '.' || to - 1 - (p + 1) > 9 || to - 1 - (p + 1) < 1) {
                    ok = false;
                } else {
                    int n = 0;
                    for (int i = p + 1; i < to - 1; i++, n++) {
                        int d = b[i] - '0';
                        if (d < 0 || d > 9) {
                            ok = false;
                            break;
                        }
                        fraction = fraction * 10 + d;
                    }
                    for (; n < 9; n++) {
                        fraction *= 10;
                    }
                }
            }
            if (ok) {
                long days = daysFromCivil(year, month, day);
                return ((days * 24 + hour) * 60 + minute) * 60 * NANOS + second * NANOS + fraction;
            }
        }
        try {
            Instant t = OffsetDateTime.parse(new String(b, from, len, java.nio.charset.StandardCharsets.US_ASCII))
                    .toInstant();
            return t.getEpochSecond() * NANOS + t.getNano();
        } catch (DateTimeParseException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    public static Instant toInstant(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, NANOS), Math.floorMod(epochNanos, NANOS));
    }

    private static int digits(byte[] b, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
    private static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }
}

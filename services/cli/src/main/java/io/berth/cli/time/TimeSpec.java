package io.berth.cli.time;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as a person types it for {@code --since} and {@code --until}: an age back from
 * now ({@code 90s}, {@code 10m}, {@code 1h30m}, {@code 2d}, {@code 1w}), {@code now}, an RFC 3339 time
 * ({@code 2026-11-22T10:00:00Z}), or a local date and time ({@code 2026-11-22 10:00},
 * {@code 2026-11-22T10:00:00}, {@code 2026-11-22}) in the machine's time zone. The CLI turns it into
 * an exact instant itself, so a window means the same whichever service reads it.
 */
public final class TimeSpec {
    private static final Pattern AGE = Pattern.compile("((\\d+)(ms|s|m|h|d|w))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

    private TimeSpec() {
    }

    public static Instant parse(String text, Instant now, ZoneId zone) {
        String value = text == null ? "" : text.trim();
        if (value.isEmpty()) {
            throw new IllegalArgumentException("a time is needed");
        }
        if (value.equals("now")) {
            return now;
        }
        if (AGE.matcher(value).matches()) {
            return now.minus(age(value));
        }
        try {
            return OffsetDateTime.parse(value.replace(' ', 'T')).toInstant();
        } catch (DateTimeParseException notWithOffset) {
            // a local time is next
        }
        try {
            String local = value.replace(' ', 'T');
            // 2026-11-22T10:00 parses too: seconds are optional in ISO_LOCAL_DATE_TIME
            return LocalDateTime.parse(local).atZone(zone).toInstant();
        } catch (DateTimeParseException notLocal) {
            // a date is last
        }
        try {
            return LocalDate.parse(value).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is neither an age (90s, 10m, 1h30m, 2d) nor a time "
                    + "(2026-11-22T10:00:00Z, 2026-11-22 10:00, 2026-11-22)");
        }
    }

    static Duration age(String value) {
        Duration total = Duration.ZERO;
        Matcher part = PART.matcher(value);
        while (part.find()) {
            long n = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            });
        }
        return total;
    }
}

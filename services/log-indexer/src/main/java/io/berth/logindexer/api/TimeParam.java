package io.berth.logindexer.api;

import io.berth.common.problem.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A point in time as the API takes it: RFC 3339 ("2026-11-22T10:00:00Z") or an age ("90s", "15m", "2h", "7d"). */
final class TimeParam {
    private static final Pattern AGE = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private TimeParam() {
    }

    static Instant parse(String field, String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Matcher age = AGE.matcher(value.trim());
        if (age.matches()) {
            long n = Long.parseLong(age.group(1));
            Duration d = switch (age.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalidField(field, "must be an RFC 3339 time (2026-11-22T10:00:00Z) or an age (90s, 15m, 2h, 7d)");
        }
    }
}

package io.berth.identity.token;

import io.berth.common.problem.ProblemException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A token's time to live: {@code 90d}, {@code 12h}, {@code 30m}, {@code 45s}, or ISO-8601 ({@code PT1H}). */
final class Ttl {
    private static final Pattern SHORT = Pattern.compile("([0-9]{1,6})([dhms])");
    static final Duration MAX = Duration.ofDays(3650);

    private Ttl() {
    }

    static Duration parse(String text, String field) {
        Duration ttl;
        Matcher m = SHORT.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            ttl = switch (m.group(2)) {
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
        } else {
            try {
                ttl = Duration.parse(text);
            } catch (DateTimeParseException e) {
                throw ProblemException.invalidField(field, "must be a duration such as 90d, 12h, 30m, 45s or PT1H");
            }
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX) > 0) {
            throw ProblemException.invalidField(field, "must be more than 0 and at most 3650 days");
        }
        return ttl;
    }
}

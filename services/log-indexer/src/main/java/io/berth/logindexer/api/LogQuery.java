package io.berth.logindexer.api;

import io.berth.common.problem.ProblemException;
import io.berth.logindexer.document.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated question about one app's logs. Every check names the parameter that is wrong, so a
 * caller gets a 400 problem instead of an Elasticsearch error.
 */
public record LogQuery(String app, Instant from, Instant to, String text, Set<String> levels, String instance,
        String release, int size, List<Long> searchAfter) {

    private static final Pattern APP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    public static final int DEFAULT_SIZE = 100;

    /** The raw query parameters, as they came. */
    public record Params(String from, String to, String q, String level, String instance, String release, String size,
            String searchAfter) {
    }

    /** {@code defaultWindow}: how far back an open {@code from} reaches (the retention period). */
    public static LogQuery parse(String app, Params p, Instant now, Duration defaultWindow, int maxSize) {
        String checkedApp = app(app);
        Instant to = TimeParam.parse("to", p.to(), now);
        Instant from = TimeParam.parse("from", p.from(), now);
        if (to == null) {
            to = now;
        }
        if (from == null) {
            from = to.minus(defaultWindow);
        }
        if (from.isAfter(to)) {
            throw ProblemException.invalidField("from", "must not be after to");
        }
        int size = DEFAULT_SIZE;
        if (p.size() != null && !p.size().isBlank()) {
            try {
                size = Integer.parseInt(p.size().trim());
            } catch (NumberFormatException e) {
                throw ProblemException.invalidField("size", "must be a number from 1 to " + maxSize);
            }
            if (size < 1 || size > maxSize) {
                throw ProblemException.invalidField("size", "must be from 1 to " + maxSize);
            }
        }
        List<Long> after = p.searchAfter() == null || p.searchAfter().isBlank() ? null : Cursor.decode("searchAfter", p.searchAfter());
        return new LogQuery(checkedApp, from, to, blankToNull(p.q()), levels(p.level()), blankToNull(p.instance()),
                blankToNull(p.release()), size, after);
    }

    static String app(String app) {
        if (app == null || !APP.matcher(app).matches()) {
            throw ProblemException.invalidField("app", "must be an app name (letters, digits, '.', '_', '-')");
        }
        return app;
    }

    /** "warn,error" → {warn, error}; an unknown level is a 400. */
    static Set<String> levels(String value) {
        Set<String> levels = new LinkedHashSet<>();
        if (value == null || value.isBlank()) {
            return levels;
        }
        for (String part : value.split(",")) {
            String name = part.trim().toLowerCase(java.util.Locale.ROOT);
            levels.add(Level.parse(name).map(Level::id).orElseThrow(() -> ProblemException.invalidField("level",
                    "unknown level '" + part.trim() + "'; one or more of trace, debug, info, warn, error, fatal, comma-separated")));
        }
        return levels;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

package io.berth.logindexer.document;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One index per app and UTC day: {@code <prefix>-<app>-YYYY.MM.DD}. A query for a time window
 * names exactly the days it covers, so it never touches another app's or another day's data.
 */
public final class IndexNames {
    public static final String TOPIC_PREFIX = "berth.logs.";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd", Locale.ROOT);
    private static final Pattern UNSAFE = Pattern.compile("[^a-z0-9_.+-]");
    /** Windows longer than this are searched through a wildcard over the app's indices instead of by name. */
    static final int MAX_NAMED_DAYS = 31;

    private final String prefix;
    // the indexer names an index for every line: the name per app and day is made once
    private final java.util.Map<String, String> dailyNames = new java.util.concurrent.ConcurrentHashMap<>();

    public IndexNames(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    /**
     * The app a log topic belongs to: what follows its first "logs." ("berth.logs.shop" → shop; a
     * benchmark's "bench.logs.shop" too, so it can stay out of the platform indexer's pattern), or the
     * whole name for a topic without one.
     */
    public static String appOf(String topic) {
        int at = topic.indexOf("logs.");
        return at >= 0 && (at == 0 || topic.charAt(at - 1) == '.') && topic.length() > at + 5 ? topic.substring(at + 5) : topic;
    }

    /** Index names are lowercase and refuse a few characters; the app keyword keeps the real name. */
    static String safe(String app) {
        return UNSAFE.matcher(app.toLowerCase(Locale.ROOT)).replaceAll("_");
    }

    public String daily(String app, Instant time) {
        long day = Math.floorDiv(time.getEpochSecond(), 86_400L);
        String key = app + '\n' + day;
        String name = dailyNames.get(key);
        if (name == null) {
            if (dailyNames.size() > 10_000) {
                dailyNames.clear(); // apps x days seen lately: a bound, not a policy
            }
            name = prefix + "-" + safe(app) + "-" + DAY.format(time.atOffset(ZoneOffset.UTC));
            dailyNames.put(key, name);
        }
        return name;
    }

    public String deadLetter() {
        return prefix + "-deadletter";
    }

    /** Matches every log index of this prefix (the template's pattern), but not the dead-letter index. */
    public String allLogs() {
        return prefix + "-*";
    }

    public String everyDayOf(String app) {
        return prefix + "-" + safe(app) + "-*";
    }

    /** The indices a window of one app lives in: each day by name, or a wildcard for long windows. */
    public List<String> covering(String app, Instant from, Instant to) {
        LocalDate first = from.atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate last = to.atOffset(ZoneOffset.UTC).toLocalDate();
        if (first.plusDays(MAX_NAMED_DAYS).isBefore(last)) {
            return List.of(everyDayOf(app));
        }
        List<String> names = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            names.add(prefix + "-" + safe(app) + "-" + DAY.format(d));
        }
        return names;
    }

    /** The day a log index holds, if {@code name} is one of this prefix's daily indices. */
    public Optional<LocalDate> dayOf(String name) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "-.+-(\\d{4}\\.\\d{2}\\.\\d{2})").matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(m.group(1), DAY));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}

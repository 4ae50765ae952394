package io.berth.logcollector.line;

import java.util.Locale;
import java.util.Map;

/**
 * Finds the level of a plain-text line the way people write it: a level word among the first few
 * words ({@code ERROR ...}, {@code [WARN]}, {@code 2026-11-22 03:12:09,123 INFO [main] ...},
 * {@code WARNING:root:...}), {@code level=warn} / {@code severity=error} pairs, and glog's
 * {@code E1122 03:12:09.123456 ...}. Levels come out as TRACE, DEBUG, INFO, WARN, ERROR or FATAL.
 * Only upper-case words count among the first words, so "an error occurred" is not an ERROR.
 */
public final class LevelDetector {
    private static final int SCAN_CHARS = 160;
    private static final int SCAN_WORDS = 6;

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("TRACE", "TRACE"), Map.entry("FINEST", "TRACE"), Map.entry("FINER", "TRACE"),
            Map.entry("DEBUG", "DEBUG"), Map.entry("DBG", "DEBUG"), Map.entry("FINE", "DEBUG"),
            Map.entry("INFO", "INFO"), Map.entry("INF", "INFO"), Map.entry("NOTICE", "INFO"),
            Map.entry("CONFIG", "INFO"), Map.entry("INFORMATION", "INFO"),
            Map.entry("WARN", "WARN"), Map.entry("WARNING", "WARN"), Map.entry("WRN", "WARN"),
            Map.entry("ERROR", "ERROR"), Map.entry("ERR", "ERROR"), Map.entry("SEVERE", "ERROR"),
            Map.entry("FATAL", "FATAL"), Map.entry("CRITICAL", "FATAL"), Map.entry("CRIT", "FATAL"),
            Map.entry("PANIC", "FATAL"), Map.entry("EMERG", "FATAL"), Map.entry("ALERT", "FATAL"));

    private LevelDetector() {
    }

    /** The normalised level of a level name in any case ("warning", "Err"), or null. */
    public static String normalise(String name) {
        return name == null ? null : NAMES.get(name.trim().toUpperCase(Locale.ROOT));
    }

    /** Bunyan/pino numeric levels: 10 trace ... 60 fatal. */
    public static String fromNumber(long level) {
        if (level <= 10) {
            return "TRACE";
        }
        if (level <= 20) {
            return "DEBUG";
        }
        if (level <= 30) {
            return "INFO";
        }
        if (level <= 40) {
            return "WARN";
        }
        return level <= 50 ? "ERROR" : "FATAL";
    }

    /** The level written in a plain-text line, or null if there is none. */
    public static String detect(String line) {
        int end = Math.min(line.length(), SCAN_CHARS);
        String glog = glog(line);
        if (glog != null) {
            return glog;
        }
        int words = 0;
        int i = 0;
        while (i < end && words < SCAN_WORDS) {
            while (i < end && isSeparator(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < end && !isSeparator(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                words++;
                String level = word(line, start, i);
                if (level != null) {
                    return level;
                }
            }
        }
        return keyValue(line, end);
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '\t' || c == '[' || c == ']' || c == '(' || c == ')' || c == '<' || c == '>'
                || c == '|' || c == ',';
    }

    /** A word like ERROR, ERROR:, WARNING:root:msg (Python's default format), or <level>= pairs. */
    private static String word(String line, int start, int end) {
        int colon = line.indexOf(':', start);
        int wordEnd = colon >= 0 && colon < end ? colon : end;
        if (wordEnd - start < 3 || wordEnd - start > 11) {
            return null;
        }
        for (int i = start; i < wordEnd; i++) {
            char c = line.charAt(i);
            if (c < 'A' || c > 'Z') {
                return null;
            }
        }
        return NAMES.get(line.substring(start, wordEnd));
    }

    private static String keyValue(String line, int end) {
        String head = line.substring(0, end).toLowerCase(Locale.ROOT);
        for (String key : new String[] {"level=", "lvl=", "severity=", "loglevel="}) {
            int at = head.indexOf(key);
            if (at >= 0 && (at == 0 || !Character.isLetterOrDigit(head.charAt(at - 1)))) {
                int from = at + key.length();
                if (from < head.length() && head.charAt(from) == '"') {
                    from++;
                }
                int to = from;
                while (to < head.length() && Character.isLetter(head.charAt(to))) {
                    to++;
                }
                String level = normalise(head.substring(from, to));
                if (level != null) {
                    return level;
                }
            }
        }
        return null;
    }

    /** glog/klog: {@code Lmmdd hh:mm:ss.uuuuuu ...} with L one of I, W, E, F. */
    private static String glog(String line) {
        if (line.length() < 20 || line.charAt(5) != ' ' || line.charAt(8) != ':' || line.charAt(11) != ':') {
            return null;
        }
        for (int i = 1; i < 5; i++) {
            if (!Character.isDigit(line.charAt(i))) {
                return null;
            }
        }
        return switch (line.charAt(0)) {
            case 'I' -> "INFO";
            case 'W' -> "WARN";
            case 'E' -> "ERROR";
            case 'F' -> "FATAL";
            default -> null;
        };
    }
}

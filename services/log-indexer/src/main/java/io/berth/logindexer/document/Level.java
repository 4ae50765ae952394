package io.berth.logindexer.document;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The log levels the API knows, and how the many spellings of them found in real logs map onto them. */
public enum Level {
    TRACE, DEBUG, INFO, WARN, ERROR, FATAL;

    // a level word near the start of a line: "ERROR ...", "[warn] ...", "2026-11-22 10:00:00 INFO ..."
    private static final Pattern IN_TEXT = Pattern.compile(
            "\\b(TRACE|DEBUG|INFO|INFORMATION|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|FATAL|CRITICAL|CRIT|PANIC|EMERG|ALERT)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final int SCAN_CHARS = 64;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A level as producers spell it ("Warning", "err", "CRIT", "5"...), or empty when it is none. */
    public static Optional<Level> normalise(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "trace", "finest", "finer" -> TRACE;
            case "debug", "fine", "config" -> DEBUG;
            case "info", "information", "informational", "notice" -> INFO;
            case "warn", "warning" -> WARN;
            case "error", "err", "severe" -> ERROR;
            case "fatal", "critical", "crit", "panic", "emerg", "emergency", "alert" -> FATAL;
            default -> null;
        });
    }

    /** The level an API caller asked for: only the canonical names. */
    public static Optional<Level> parse(String value) {
        for (Level level : values()) {
            if (level.id().equals(value)) {
                return Optional.of(level);
            }
        }
        return Optional.empty();
    }

    /** The first level word in the first characters of a plain text line. */
    public static Optional<Level> detect(String line) {
        if (line == null || line.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = IN_TEXT.matcher(line.length() > SCAN_CHARS ? line.substring(0, SCAN_CHARS) : line);
        return m.find() ? normalise(m.group(1)) : Optional.empty();
    }
}

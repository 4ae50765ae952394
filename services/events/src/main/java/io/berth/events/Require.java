package io.berth.events;

/** Checks used by the event records' constructors, so that an event missing a required field never exists. */
public final class Require {
    private Require() {
    }

    public static String text(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException("missing required field '" + field + "'");
        }
        return value;
    }

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new InvalidEventException("missing required field '" + field + "'");
        }
        return value;
    }

    public static long atLeast(long value, long min, String field) {
        if (value < min) {
            throw new InvalidEventException("field '" + field + "' must be >= " + min + " but was " + value);
        }
        return value;
    }
}

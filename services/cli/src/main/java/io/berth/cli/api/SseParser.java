package io.berth.cli.api;

import java.util.function.Predicate;

/**
 * The event-stream format of the HTML standard, line by line: {@code event:}, {@code data:} (several
 * joined by a newline), {@code id:}, comments ({@code :...}) skipped, a blank line dispatches.
 */
public final class SseParser {
    private final Predicate<SseEvent> listener;
    private String name;
    private String id;
    private StringBuilder data;

    /** {@code listener} answers false to stop reading. */
    public SseParser(Predicate<SseEvent> listener) {
        this.listener = listener;
    }

    /** Feeds one line (without its line ending); false once the listener asked to stop. */
    public boolean line(String line) {
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return true;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> name = value;
            case "id" -> id = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
                // retry and unknown fields: nothing for a command line to do with them
            }
        }
        return true;
    }

    /** The end of the stream: an event without its blank line is dropped, as the standard says. */
    private boolean dispatch() {
        if (data == null) {
            name = null;
            return true;
        }
        SseEvent event = new SseEvent(name == null || name.isEmpty() ? "message" : name, id, data.toString());
        name = null;
        data = null;
        return listener.test(event);
    }
}

package io.berth.registrar.runtime;

import java.util.function.Consumer;

/**
 * Assembles the {@code data} of Server-Sent Events from the lines of a stream (the text/event-stream
 * format: {@code data:} lines, a blank line ends an event; comments and other fields are skipped).
 */
public final class ServerSentEvents {
    private final Consumer<String> onEvent;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    public ServerSentEvents(Consumer<String> onEvent) {
        this.onEvent = onEvent;
    }

    public void line(String line) {
        if (line.isEmpty()) {
            if (hasData) {
                String event = data.toString();
                data.setLength(0);
                hasData = false;
                onEvent.accept(event);
            }
            return;
        }
        if (line.startsWith("data:")) {
            String value = line.substring(5);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (hasData) {
                data.append('\n');
            }
            data.append(value);
            hasData = true;
        }
    }
}

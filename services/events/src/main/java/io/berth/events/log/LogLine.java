package io.berth.events.log;

import io.berth.events.EventData;
import io.berth.events.Require;
import java.time.Instant;
import java.util.Map;

/** One line an instance printed; {@code fields} holds the keys of a JSON line, empty otherwise. */
public record LogLine(String app, String team, String instance, int release, Instant time, String stream,
        String level, String message, Map<String, Object> fields) implements EventData {
    public LogLine {
        Require.text(app, "app");
        Require.text(instance, "instance");
        Require.present(time, "time");
        Require.text(stream, "stream");
        Require.present(message, "message");
        fields = fields == null ? Map.of() : fields;
    }
}

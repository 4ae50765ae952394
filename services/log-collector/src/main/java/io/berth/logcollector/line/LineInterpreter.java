package io.berth.logcollector.line;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.berth.events.log.LogLine;
import io.berth.logcollector.cri.JoinedLine;
import io.berth.logcollector.cri.Timestamps;
import io.berth.logcollector.source.InstanceInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes a {@link LogLine} of a joined line and the instance it came from. A line that is a JSON
 * object keeps its keys in {@code fields} and gives its {@code message} (or {@code msg}) and level
 * ({@code level}, {@code severity}, {@code lvl}, {@code log.level}; names or bunyan/pino numbers);
 * anything else, broken JSON included, is text whose level {@link LevelDetector} reads. A line
 * without a level is INFO on either stream: the stream is kept in {@code stream}, not guessed into
 * a level.
 * Lines cut at the maximum length get {@code fields.truncated = true}; lines without a CRI header
 * get {@code fields.malformed = true}.
 */
public final class LineInterpreter {
    public static final String TRUNCATED = "truncated";
    public static final String MALFORMED = "malformed";

    private static final String[] MESSAGE_KEYS = {"message", "msg"};
    private static final String[] LEVEL_KEYS = {"level", "severity", "lvl", "log.level", "loglevel"};
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    static {
        // hostile JSON (deep nesting, huge numbers) fails fast and is then kept as text
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxNumberLength(100).build());
    }

    private LineInterpreter() {
    }

    public static LogLine interpret(JoinedLine line, InstanceInfo instance) {
        String text = TextSanitizer.sanitize(line.bytes(), line.from(), line.to());
        String message = text;
        String level = null;
        Map<String, Object> fields = Map.of();
        Map<String, Object> json = line.truncated() ? null : parseObject(text);
        if (json != null) {
            fields = json;
            for (String key : MESSAGE_KEYS) {
                if (json.get(key) instanceof String m) {
                    message = TextSanitizer.clean(m);
                    json.remove(key);
                    break;
                }
            }
            for (String key : LEVEL_KEYS) {
                Object value = json.get(key);
                if (value instanceof String name) {
                    level = LevelDetector.normalise(name);
                } else if (value instanceof Number number) {
                    level = LevelDetector.fromNumber(number.longValue());
                }
                if (level != null) {
                    break;
                }
            }
        } else {
            level = LevelDetector.detect(text);
        }
        if (level == null) {
            // Not ERROR for stderr: most default loggers (Python's logging, Go's log, Rust's env_logger,
            // a JVM's System.err) write every level there, and so do progress and usage messages, so
            // "stderr is an error" would fill the error filter with info lines. Heroku, Kubernetes and
            // Loki do not derive a level from the stream either (Loki calls it unknown); INFO, the level
            // a stdout line without one already gets, keeps both streams alike under a level filter.
            level = "INFO";
        }
        if (line.truncated() || line.malformed()) {
            fields = new LinkedHashMap<>(fields);
            if (line.truncated()) {
                fields.put(TRUNCATED, true);
            }
            if (line.malformed()) {
                fields.put(MALFORMED, true);
            }
        }
        return new LogLine(instance.app(), instance.team(), instance.instance(), instance.release(),
                Timestamps.toInstant(line.epochNanos()), line.stream().label(), level, message, fields);
    }

    /** The line's keys if it is one JSON object, else null. */
    static Map<String, Object> parseObject(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
            end--;
        }
        if (end - start < 2 || text.charAt(start) != '{' || text.charAt(end - 1) != '}') {
            return null;
        }
        try {
            return JSON.readValue(text, MAP);
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }
}

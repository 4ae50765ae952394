package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.CliException;
import io.berth.cli.ExitCodes;
import io.berth.cli.api.ApiClient;
import io.berth.cli.api.Json;
import io.berth.cli.time.TimeSpec;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logs", description = {"Show an app's log lines, oldest first, or follow them live with -f.",
        "TIME: an age (90s, 10m, 1h30m, 2d) or a time (2026-11-22T10:00:00Z,",
        "'2026-11-22 10:00' in this machine's time zone)."}, sortOptions = false)
public class LogsCommand extends ReadCommand {
    private static final int PAGE = 1000;

    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Option(names = {"-f", "--follow"}, description = "Follow new lines as they come (from --since when given)")
    boolean follow;

    @Option(names = "--since", paramLabel = "TIME", description = "Lines from this time on")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Lines up to this time (not with -f)")
    String until;

    @Option(names = "--grep", paramLabel = "WORDS", description = "Only lines with all these words (\"a phrase\", -not, prefix*)")
    String grep;

    @Option(names = "--level", paramLabel = "LEVELS", description = "Only these levels, comma-separated: trace, debug, info, warn, error, fatal")
    String level;

    @Option(names = "--instance", paramLabel = "ID", description = "Only this instance's lines")
    String instance;

    @Option(names = "--release", paramLabel = "N", description = "Only this release's lines (not with -f)")
    String release;

    @Option(names = {"-n", "--lines"}, paramLabel = "N", defaultValue = "100", description = "At most this many of the newest lines (default ${DEFAULT-VALUE}; not with -f)")
    int lines;

    @Override
    public Integer call() {
        Instant from = time("--since", since);
        Instant to = time("--until", until);
        if (follow && (to != null || release != null)) {
            throw new CliException("-f follows new lines: --until and --release do not go with it", ExitCodes.USAGE);
        }
        if (lines < 1) {
            throw new CliException("--lines must be at least 1", ExitCodes.USAGE);
        }
        return follow ? follow(from) : search(from, to);
    }

    private int search(Instant from, Instant to) {
        List<JsonNode> found = new ArrayList<>();
        String after = null;
        do {
            Map<String, Object> q = filters(from);
            q.put("to", to);
            q.put("release", release);
            q.put("size", Math.min(PAGE, lines - found.size()));
            q.put("searchAfter", after);
            ApiClient.Answer page = api().get("/api/logs/" + ApiClient.seg(app) + ApiClient.query(q));
            printedJson(page);
            page.json().path("lines").forEach(found::add);
            after = page.json().path("next").isTextual() ? page.json().path("next").asText() : null;
        } while (after != null && found.size() < lines);
        if (!json) {
            // the API answers newest first; a log reads oldest first, as tail does
            for (int i = found.size() - 1; i >= 0; i--) {
                out().println(format(found.get(i)));
            }
            out().flush();
        }
        return ExitCodes.OK;
    }

    private int follow(Instant from) {
        api().stream("/api/logs/" + ApiClient.seg(app) + "/tail" + ApiClient.query(filters(from)), event -> {
            if (event.name().equals("ready")) {
                err().println("Following the logs of " + app + " (Ctrl-C to stop).");
                err().flush();
            } else if (event.name().equals("log")) {
                JsonNode line = Json.parseOrNull(event.data());
                out().println(json || line == null ? event.data() : format(line));
                out().flush();
            }
            return true;
        });
        throw new CliException("the log stream of " + app + " ended (the app was deleted, or your access changed)",
                ExitCodes.UNAVAILABLE);
    }

    private Map<String, Object> filters(Instant from) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put(follow ? "since" : "from", from);
        q.put("q", grep);
        q.put("level", level);
        q.put("instance", instance);
        return q;
    }

    private Instant time(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return TimeSpec.parse(value, now(), ZoneId.systemDefault());
        } catch (IllegalArgumentException e) {
            throw new CliException(option + ": " + e.getMessage(), ExitCodes.USAGE);
        }
    }

    /** "2026-11-22T10:00:00.123Z sysa-1-abc INFO listening on ..." */
    static String format(JsonNode line) {
        StringBuilder s = new StringBuilder(line.path("time").asText());
        s.append(' ').append(line.path("instance").asText("-"));
        if (line.hasNonNull("level")) {
            s.append(' ').append(line.path("level").asText().toUpperCase(java.util.Locale.ROOT));
        }
        return s.append(' ').append(line.path("message").asText()).toString();
    }
}

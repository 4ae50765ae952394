package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ExitCodes;
import io.berth.cli.api.ApiClient;
import io.berth.cli.api.Json;
import java.io.PrintWriter;
import java.util.function.Predicate;

/**
 * Follows one rollout live through {@code /rollouts/current/events} (SSE) and prints each change as
 * a line, until it ends. That stream shows the app's newest rollout, so when another one appears
 * (the automatic rollback after a failure, or someone's newer deploy) ours has ended: its final
 * state is read from the app's rollouts.
 */
final class RolloutProgress {
    /** half a second apart: well past any progress deadline */
    private static final int MAX_RECONNECTS = 2400;

    private final ApiClient api;
    private final String app;
    private final PrintWriter out;
    private final PrintWriter err;
    private String ourId;
    private String lastLine;
    private JsonNode ended;
    private boolean otherAppeared;

    RolloutProgress(ApiClient api, String app, PrintWriter out, PrintWriter err) {
        this.api = api;
        this.app = app;
        this.out = out;
        this.err = err;
    }

    /** Waits for the rollout {@code ours} picks out (the newest one when it started before this call) and answers the exit code. */
    int follow(Predicate<JsonNode> ours) {
        for (int attempt = 0; ended == null; attempt++) {
            otherAppeared = false;
            api.stream(BaseCommand.app(app) + "/rollouts/current/events", event -> {
                JsonNode r = Json.parseOrNull(event.data());
                if (r == null || !r.has("id")) {
                    return true;
                }
                if (ourId == null && ours.test(r)) {
                    ourId = r.path("id").asText();
                }
                if (ourId == null || !ourId.equals(r.path("id").asText())) {
                    otherAppeared = true;
                    return false;
                }
                show(r);
                if (finished(r)) {
                    ended = r;
                    return false;
                }
                return true;
            });
            if (ended == null && (otherAppeared || attempt > 0)) {
                ended = fromHistory(ours);
            }
            if (ended == null) {
                if (attempt > MAX_RECONNECTS) {
                    throw new io.berth.cli.CliException("lost track of the rollout of " + app
                            + ": see `berth releases " + app + "`", ExitCodes.UNAVAILABLE);
                }
                pause();
            }
        }
        return outcome(ended);
    }

    /** Ours among the app's latest rollouts, once it has ended; null while it is still going (or not found). */
    private JsonNode fromHistory(Predicate<JsonNode> ours) {
        for (JsonNode r : api.get(BaseCommand.app(app) + "/rollouts?size=20").json()) {
            boolean match = ourId != null ? ourId.equals(r.path("id").asText()) : ours.test(r);
            if (match) {
                ourId = r.path("id").asText();
                if (finished(r)) {
                    show(r);
                    return r;
                }
                return null;
            }
        }
        return null;
    }

    private int outcome(JsonNode r) {
        String state = r.path("state").asText();
        if (state.equals("COMPLETED") || state.equals("CANARY")) {
            if (state.equals("CANARY")) {
                out.println("The canary serves " + r.path("canaryWeight").asInt() + "% of requests: `berth canary promote "
                        + app + "` to go on, `berth canary abort " + app + "` to drop it.");
            }
            out.flush();
            return ExitCodes.OK;
        }
        String reason = r.path("reason").asText("");
        if (!reason.isBlank()) {
            out.println("  " + reason.strip().replace("\n", "\n  "));
        }
        out.flush();
        err.println("berth: the " + r.path("kind").asText("rollout") + " to v" + r.path("toRelease").asInt() + " of " + app
                + " ended " + state + (reason.isBlank() ? "" : ": " + firstLine(reason)));
        err.flush();
        return ExitCodes.ROLLOUT_FAILED;
    }

    private void show(JsonNode r) {
        String line = describe(r);
        if (!line.equals(lastLine)) {
            out.println(line);
            out.flush();
            lastLine = line;
        }
    }

    static boolean finished(JsonNode r) {
        String state = r.path("state").asText();
        return state.equals("COMPLETED") || state.equals("FAILED") || state.equals("ROLLED_BACK") || state.equals("CANARY");
    }

    /** "release v1 -> v2: PROGRESSING, 1/2 ready" */
    static String describe(JsonNode r) {
        JsonNode from = r.path("fromRelease");
        String move = (from.isIntegralNumber() ? "v" + from.asInt() + " -> " : "") + "v" + r.path("toRelease").asInt();
        String line = r.path("kind").asText("rollout") + " " + move + ": " + r.path("state").asText() + ", "
                + r.path("ready").asInt() + "/" + r.path("replicas").asInt() + " ready";
        String state = r.path("state").asText();
        if (!state.equals("FAILED") && !state.equals("ROLLED_BACK") && r.hasNonNull("reason")) {
            line += " (" + firstLine(r.path("reason").asText()) + ")";
        }
        return line;
    }

    static String firstLine(String text) {
        String s = text.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static void pause() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }
}

package io.berth.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an error answer into the one line a person reads: {@code <title>: <detail> (field <field>)}
 * for an RFC 7807 problem, the status and the start of the body for anything else.
 */
public final class ProblemMessage {
    private static final int MAX_BODY = 200;

    private ProblemMessage() {
    }

    public static String of(int status, String body) {
        JsonNode problem = Json.parseOrNull(body);
        if (problem == null || !problem.isObject() || !(problem.has("title") || problem.has("detail"))) {
            return "HTTP " + status + plain(body);
        }
        String title = problem.path("title").asText("HTTP " + status);
        String detail = problem.path("detail").asText("");
        StringBuilder message = new StringBuilder(title);
        if (!detail.isBlank() && !detail.equals(title)) {
            message.append(": ").append(detail);
        }
        List<String> fields = new ArrayList<>();
        for (JsonNode error : problem.path("errors")) {
            String field = error.path("field").asText("");
            if (!field.isEmpty() && !fields.contains(field)) {
                fields.add(field);
            }
        }
        if (!fields.isEmpty()) {
            message.append(fields.size() == 1 ? " (field " : " (fields ").append(String.join(", ", fields)).append(')');
        }
        if (status == 401) {
            // the usual cause: a token never given, mistyped, revoked or expired
            message.append("; log in again with `berth login` or set BERTH_TOKEN");
        }
        return message.toString();
    }

    private static String plain(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.strip().replaceAll("\\s+", " ");
        return ": " + (oneLine.length() > MAX_BODY ? oneLine.substring(0, MAX_BODY) + "..." : oneLine);
    }
}

package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;

/** The commands that start a rollout and get it back in the answer (rollback, restart, canary promote and abort) follow it by id. */
final class RolloutCommands {
    private RolloutCommands() {
    }

    static int follow(BaseCommand command, String app, JsonNode started) {
        String id = started.path("id").asText();
        return new RolloutProgress(command.api(), app, command.out(), command.err())
                .follow(r -> id.equals(r.path("id").asText()));
    }
}

package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ExitCodes;
import io.berth.cli.api.ApiClient;
import picocli.CommandLine.Command;

@Command(name = "whoami", description = "Show who the token belongs to and its teams (GET /api/me).")
public class WhoamiCommand extends ReadCommand {
    @Override
    public Integer call() {
        ApiClient.Answer answer = api().get("/api/me");
        if (!printedJson(answer)) {
            JsonNode me = answer.json();
            println(me.path("user").asText() + LoginCommand.describe(me) + " at " + api().base());
        }
        return ExitCodes.OK;
    }
}

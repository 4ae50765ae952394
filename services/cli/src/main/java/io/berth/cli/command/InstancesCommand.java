package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ExitCodes;
import io.berth.cli.api.ApiClient;
import io.berth.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "instances", aliases = "ps", description = "List an app's instances as the runtime reports them.")
public class InstancesCommand extends ReadCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Override
    public Integer call() {
        ApiClient.Answer answer = api().get(app(app) + "/instances");
        if (printedJson(answer)) {
            return ExitCodes.OK;
        }
        if (answer.json().size() == 0) {
            println("No instances of " + app + ".");
        } else {
            table(answer.json()).print(out());
        }
        return ExitCodes.OK;
    }

    static Table table(JsonNode instances) {
        Table table = new Table("ID", "RELEASE", "STATE", "READY", "ADDRESS", "RESTARTS", "REASON");
        for (JsonNode i : instances) {
            table.row(i.path("id").asText(), "v" + i.path("release").asInt(),
                    i.path("state").asText() + (i.path("terminating").asBoolean() ? " (terminating)" : ""),
                    i.path("ready").asBoolean() ? "yes" : "no", i.path("host").asText() + ":" + i.path("port").asInt(),
                    i.path("restarts").asInt(), i.hasNonNull("reason") ? RolloutProgress.firstLine(i.path("reason").asText()) : null);
        }
        return table;
    }
}

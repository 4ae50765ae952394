package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ExitCodes;
import io.berth.cli.api.ApiClient;
import io.berth.cli.output.Ages;
import io.berth.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "releases", description = "List an app's releases, newest first (* marks the one running).")
public class ReleasesCommand extends ReadCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE}, at most 500)")
    int limit;

    @Override
    public Integer call() {
        ApiClient.Answer answer = api().get(app(app) + "/releases?size=" + limit);
        if (printedJson(answer)) {
            return ExitCodes.OK;
        }
        JsonNode current = api().get(app(app)).json().path("currentRelease");
        Table table = new Table("", "VERSION", "RUNS", "REPLICAS", "BY", "AGE");
        for (JsonNode r : answer.json()) {
            int version = r.path("version").asInt();
            table.row(current.isIntegralNumber() && current.asInt() == version ? "*" : "", "v" + version,
                    DeployCommand.what(r.path("spec")), r.path("spec").path("replicas").asText("-"),
                    r.path("createdBy").asText(), Ages.since(r.path("createdAt").asText(null), now()));
        }
        if (table.isEmpty()) {
            println("No releases of " + app + " yet: `berth deploy " + app + " ...` makes one.");
        } else {
            table.print(out());
        }
        return ExitCodes.OK;
    }
}

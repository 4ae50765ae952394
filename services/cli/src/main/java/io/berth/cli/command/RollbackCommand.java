package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ExitCodes;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollback", description = "Roll an app back to an earlier release (the one before the current, or --to N) and follow it.")
public class RollbackCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Option(names = "--to", paramLabel = "N", description = "The release to go back to (default: the one before the current)")
    Integer to;

    @Option(names = "--no-wait", description = "Return once the rollback has started")
    boolean noWait;

    @Override
    public Integer call() {
        Map<String, Object> body = new LinkedHashMap<>();
        if (to != null) {
            body.put("release", to);
        }
        JsonNode rollout = api().post(app(app) + "/rollback", body).json();
        println("Rolling " + app + " back to v" + rollout.path("toRelease").asInt() + ".");
        return noWait ? ExitCodes.OK : RolloutCommands.follow(this, app, rollout);
    }
}

package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restart", description = "Replace every instance of an app with a fresh one of the same release, rolling, and follow it.")
public class RestartCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Option(names = "--no-wait", description = "Return once the restart has started")
    boolean noWait;

    @Override
    public Integer call() {
        JsonNode rollout = api().post(app(app) + "/restart", null).json();
        int n = rollout.path("replicas").asInt();
        println("Restarting " + app + " (v" + rollout.path("toRelease").asInt() + ", " + n + " instance" + (n == 1 ? "" : "s") + ").");
        return noWait ? ExitCodes.OK : RolloutCommands.follow(this, app, rollout);
    }
}

package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "canary", description = "Promote or abort an app's canary (started with `berth deploy --canary PERCENT`).",
        synopsisSubcommandLabel = "COMMAND", subcommands = {CanaryCommand.Promote.class, CanaryCommand.Abort.class})
public class CanaryCommand {

    abstract static class Step extends BaseCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Option(names = "--no-wait", description = "Return once it has started")
        boolean noWait;

        abstract String action();

        @Override
        public Integer call() {
            JsonNode rollout = api().post(app(app) + "/rollouts/current/" + action(), null).json();
            println((action().equals("promote") ? "Promoting" : "Aborting") + " the canary of " + app + ".");
            return noWait ? ExitCodes.OK : RolloutCommands.follow(this, app, rollout);
        }
    }

    @Command(name = "promote", description = "End the canary phase: the rolling update to its release goes on.")
    static class Promote extends Step {
        @Override
        String action() {
            return "promote";
        }
    }

    @Command(name = "abort", description = "Drop the canary: its instances go and the release before it serves alone.")
    static class Abort extends Step {
        @Override
        String action() {
            return "abort";
        }
    }
}

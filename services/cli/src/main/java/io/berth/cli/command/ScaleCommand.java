package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ExitCodes;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "scale", description = "Set how many instances of an app run.")
public class ScaleCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1", paramLabel = "N", description = "Instances (0 stops them all)")
    int replicas;

    @Override
    public Integer call() {
        JsonNode scaled = api().post(app(app) + "/scale", Map.of("replicas", replicas)).json();
        println("Scaled " + app + " to " + scaled.path("replicas").asInt() + " instance"
                + (scaled.path("replicas").asInt() == 1 ? "" : "s") + "; `berth instances " + app + "` shows them.");
        return ExitCodes.OK;
    }
}

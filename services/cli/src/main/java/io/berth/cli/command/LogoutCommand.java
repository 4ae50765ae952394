package io.berth.cli.command;

import io.berth.cli.CliException;
import io.berth.cli.ExitCodes;
import io.berth.cli.config.CliConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;

@Command(name = "logout", description = "Forget the saved login (the token stays valid: revoke it with `berth tokens revoke`).")
public class LogoutCommand extends BaseCommand {
    @Override
    public Integer call() {
        Path file = CliConfig.file(root().env());
        try {
            println(Files.deleteIfExists(file) ? "Logged out: removed " + file + "." : "Not logged in (no " + file + ").");
        } catch (IOException e) {
            throw new CliException("cannot remove " + file + " (" + e.getClass().getSimpleName() + ")", ExitCodes.USAGE);
        }
        if (root().env().get("BERTH_TOKEN") != null) {
            err().println("Note: BERTH_TOKEN is still set in this shell.");
        }
        return ExitCodes.OK;
    }
}

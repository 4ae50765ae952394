package io.berth.cli.command;

import io.berth.cli.ExitCodes;
import picocli.AutoComplete;
import picocli.CommandLine.Command;

@Command(name = "completion", description = {"Print a bash (or zsh, with bashcompinit) completion script for berth.",
        "  source <(berth completion)       in this shell",
        "  berth completion > /etc/bash_completion.d/berth"})
public class CompletionCommand extends BaseCommand {
    @Override
    public Integer call() {
        out().print(AutoComplete.bash("berth", spec.root().commandLine()));
        out().flush();
        return ExitCodes.OK;
    }
}

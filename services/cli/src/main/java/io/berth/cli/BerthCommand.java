package io.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "berth", mixinStandardHelpOptions = true, version = "berth 0.1.0",
        description = "Use a Berth platform from the command line.",
        subcommands = {StatusCommand.class, AppsCommand.class, CommandLine.HelpCommand.class})
public class BerthCommand {

    @Option(names = "--api", defaultValue = "${env:BERTH_API:-http://127.0.0.1:8081}",
            description = "Deploy API base URL (env BERTH_API, default ${DEFAULT-VALUE})")
    String api;

    @Option(names = "--token-file", defaultValue = "${env:BERTH_TOKEN_FILE:-/var/lib/berth/admin-token}",
            description = "File holding the API token (env BERTH_TOKEN_FILE; BERTH_TOKEN wins if set)")
    String tokenFile;

    ApiClient client() {
        return new ApiClient(java.net.URI.create(api), Tokens.resolve(System.getenv("BERTH_TOKEN"), tokenFile));
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new BerthCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("berth: " + e.getMessage());
                    return e instanceof ApiClient.ApiException api ? api.exitCode() : 1;
                });
    }
}

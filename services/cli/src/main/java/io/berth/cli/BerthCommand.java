package io.berth.cli;

import io.berth.cli.api.ApiClient;
import io.berth.cli.command.AppsCommand;
import io.berth.cli.command.AutoscaleCommand;
import io.berth.cli.command.CanaryCommand;
import io.berth.cli.command.CompletionCommand;
import io.berth.cli.command.DeployCommand;
import io.berth.cli.command.InstancesCommand;
import io.berth.cli.command.LoginCommand;
import io.berth.cli.command.LogoutCommand;
import io.berth.cli.command.LogsCommand;
import io.berth.cli.command.ReleasesCommand;
import io.berth.cli.command.RestartCommand;
import io.berth.cli.command.RollbackCommand;
import io.berth.cli.command.ScaleCommand;
import io.berth.cli.command.StatusCommand;
import io.berth.cli.command.TeamsCommand;
import io.berth.cli.command.TokensCommand;
import io.berth.cli.command.WhoamiCommand;
import io.berth.cli.config.Connection;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

// scope INHERIT: every subcommand gets --help (and --version) and the exit codes in its help
@Command(name = "berth", mixinStandardHelpOptions = true, version = "berth 0.1.0", scope = CommandLine.ScopeType.INHERIT,
        description = "Use a Berth platform from the command line.",
        footer = {"", "Exit codes: 0 ok, 1 usage or local error, 2 the API refused (4xx),",
                "3 unreachable or 5xx, 4 a rollout waited for failed or was rolled back.%n"},
        // the subcommands are added in commandLine(): only the one a run needs, see there
        synopsisSubcommandLabel = "COMMAND")
public class BerthCommand {

    @Option(names = "--api", paramLabel = "URL",
            description = "Berth API address, the console's (env BERTH_API; else the saved login; else "
                    + Connection.DEFAULT_API + ")")
    String api;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding the API token (env BERTH_TOKEN_FILE; BERTH_TOKEN wins; else the saved login)")
    String tokenFile;

    private final Map<String, String> env;
    private final Clock clock;

    public BerthCommand(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    public Map<String, String> env() {
        return env;
    }

    public Clock clock() {
        return clock;
    }

    public Connection connection() {
        return Connection.resolve(api, tokenFile, env);
    }

    public ApiClient client() {
        Connection c = connection();
        return new ApiClient(c.api(), c.token());
    }

    /** The --api option or BERTH_API, when one was given (login asks otherwise). */
    public String apiGiven() {
        return api != null ? api : env.get("BERTH_API");
    }

    /** Every command, in the order help lists them. */
    static final List<Class<?>> COMMANDS = List.of(LoginCommand.class, LogoutCommand.class, WhoamiCommand.class,
            StatusCommand.class, AppsCommand.class, DeployCommand.class, ReleasesCommand.class, RollbackCommand.class,
            ScaleCommand.class, RestartCommand.class, CanaryCommand.class, InstancesCommand.class, LogsCommand.class,
            AutoscaleCommand.class, TeamsCommand.class, TokensCommand.class, CompletionCommand.class,
            CommandLine.HelpCommand.class);

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv(), Clock.systemUTC(), args).execute(args));
    }

    /** With every command (help, completion, tests). */
    public static CommandLine commandLine(Map<String, String> env, Clock clock) {
        return commandLine(env, clock, new String[0]);
    }

    /**
     * Picocli reads the annotations of every command it is given before it parses anything, and for
     * some forty command classes that was most of a run's start-up; so a run that names a command
     * gets that command alone. Help, completion and anything unknown get them all (for the listing
     * and the "did you mean" suggestions).
     */
    static CommandLine commandLine(Map<String, String> env, Clock clock, String[] args) {
        CommandLine cli = new CommandLine(new BerthCommand(env, clock));
        Class<?> only = commandNamed(firstWord(args));
        if (only != null && only != CompletionCommand.class && only != CommandLine.HelpCommand.class) {
            cli.addSubcommand(only);
        } else {
            COMMANDS.forEach(cli::addSubcommand);
        }
        cli.setParameterExceptionHandler((e, given) -> {
            // picocli's own handler prints the whole usage; one line and a pointer read better
            CommandLine where = e.getCommandLine();
            where.getErr().println("berth: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, where.getErr());
            where.getErr().println("See `" + where.getCommandSpec().qualifiedName() + " --help`.");
            where.getErr().flush();
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("berth: " + message(e));
            cmd.getErr().flush();
            return e instanceof CliException known ? known.exitCode() : ExitCodes.USAGE;
        });
        return cli;
    }

    /** The first word that is neither an option nor the value of --api or --token-file. */
    static String firstWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--api") || args[i].equals("--token-file")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return args[i];
            }
        }
        return null;
    }

    private static Class<?> commandNamed(String word) {
        if (word == null) {
            return null;
        }
        for (Class<?> command : COMMANDS) {
            Command c = command.getAnnotation(Command.class);
            if (c.name().equals(word) || List.of(c.aliases()).contains(word)) {
                return command;
            }
        }
        return null;
    }

    private static String message(Exception e) {
        if (e instanceof CliException) {
            return e.getMessage();
        }
        // an unexpected failure: its kind and message, never a stack trace
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}

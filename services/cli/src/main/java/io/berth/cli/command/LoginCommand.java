package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.CliException;
import io.berth.cli.ExitCodes;
import io.berth.cli.api.ApiClient;
import io.berth.cli.config.CliConfig;
import io.berth.cli.config.Connection;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "login", description = {"Save the API address and your token for the next commands.",
        "The token is checked with GET /api/me first, and saved to $XDG_CONFIG_HOME/berth/config.json (0600).",
        "It is read without echo from the terminal, or from stdin with --token-stdin, or from --token-file."})
public class LoginCommand extends BaseCommand {
    @Option(names = "--api", paramLabel = "URL", description = "The console's address (asked when not given)")
    String api;

    @Option(names = "--token-stdin", description = "Read the token from standard input (for scripts)")
    boolean tokenStdin;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the token from this file")
    String tokenFile;

    @Override
    public Integer call() throws IOException {
        Path file = CliConfig.file(root().env());
        CliConfig saved = CliConfig.read(file);
        Console console = System.console();
        String url = api != null ? api : root().apiGiven();
        if (url == null) {
            String fallback = saved.api() != null ? saved.api() : Connection.DEFAULT_API;
            String typed = console == null ? null : console.readLine("Berth API address [%s]: ", fallback);
            url = typed == null || typed.isBlank() ? fallback : typed.trim();
        }
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new CliException("the API address must start with http:// or https://, not '" + url + "'", ExitCodes.USAGE);
        }
        String token = token(console);
        JsonNode me = new ApiClient(url, token).get("/api/me").json();
        new CliConfig(url, token).write(file);
        println("Logged in to " + url + " as " + me.path("user").asText() + describe(me) + ".");
        println("Saved to " + file + " (readable by you only).");
        if (root().env().get("BERTH_TOKEN") != null && !tokenFromEnvWasUsed) {
            err().println("Note: BERTH_TOKEN is set in this shell and overrides the saved token.");
        }
        return ExitCodes.OK;
    }

    private boolean tokenFromEnvWasUsed;

    private String token(Console console) throws IOException {
        String token;
        if (tokenStdin) {
            token = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } else if (tokenFile != null) {
            token = Connection.readToken(Path.of(tokenFile));
        } else if (console != null) {
            char[] typed = console.readPassword("Token (not shown): ");
            token = typed == null ? "" : new String(typed).trim();
        } else if (root().env().get("BERTH_TOKEN") != null && !root().env().get("BERTH_TOKEN").isBlank()) {
            tokenFromEnvWasUsed = true;
            token = root().env().get("BERTH_TOKEN").trim();
        } else {
            throw new CliException("no terminal to ask for the token: give it with --token-stdin or --token-file",
                    ExitCodes.USAGE);
        }
        if (token.isEmpty() || token.contains("\n")) {
            throw new CliException("the token must be one non-empty line", ExitCodes.USAGE);
        }
        return token;
    }

    static String describe(JsonNode me) {
        if (me.path("platformAdmin").asBoolean()) {
            return " (platform admin)";
        }
        List<String> teams = new ArrayList<>();
        for (JsonNode t : me.path("teams")) {
            teams.add(t.path("team").asText() + " as " + t.path("role").asText());
        }
        return teams.isEmpty() ? " (no team yet)" : " (" + String.join(", ", teams) + ")";
    }
}

package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.CliException;
import io.berth.cli.ExitCodes;
import io.berth.cli.api.ApiClient;
import io.berth.cli.output.Ages;
import io.berth.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tokens", description = "Create, list and revoke API tokens (yours, or a member's of a team you administer).",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
public class TokensCommand {

    /** --user, else the caller itself (the platform admin and the services have no tokens of their own to list). */
    static String user(BaseCommand command, String given) {
        if (given != null) {
            return given;
        }
        JsonNode me = command.api().get("/api/me").json();
        if (!"user".equals(me.path("kind").asText())) {
            throw new CliException("you are the " + me.path("kind").asText() + ", not a user: say whose tokens with --user USER",
                    ExitCodes.USAGE);
        }
        return me.path("user").asText();
    }

    static String tokensOf(String user) {
        return "/api/users/" + ApiClient.seg(user) + "/tokens";
    }

    @Command(name = "create", description = "Create a token; it is shown this once, so store it now.")
    static class Create extends ReadCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "What it is for, e.g. ci or laptop")
        String name;

        @Option(names = "--user", paramLabel = "USER", description = "Whose token (default: yours)")
        String user;

        @Option(names = "--ttl", paramLabel = "AGE", description = "Expires after this long: 90d, 12h (default: never)")
        String ttl;

        @Override
        public Integer call() {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("name", name);
            if (ttl != null) {
                body.put("ttl", ttl);
            }
            ApiClient.Answer answer = api().post(tokensOf(user(this, user)), body);
            if (printedJson(answer)) {
                return ExitCodes.OK;
            }
            JsonNode t = answer.json();
            println("Token " + t.path("name").asText() + " of " + t.path("user").asText() + " created (id " + t.path("id").asText()
                    + ", " + (t.hasNonNull("expiresAt") ? "expires " + t.path("expiresAt").asText() : "does not expire") + ").");
            println("This is the only time it is shown; store it now:");
            println(t.path("token").asText());
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", aliases = "ls", description = "A user's tokens (never the tokens themselves).")
    static class ListTokens extends ReadCommand {
        @Option(names = "--user", paramLabel = "USER", description = "Whose tokens (default: yours)")
        String user;

        @Override
        public Integer call() {
            ApiClient.Answer answer = api().get(tokensOf(user(this, user)));
            if (printedJson(answer)) {
                return ExitCodes.OK;
            }
            Table table = new Table("ID", "NAME", "STATE", "AGE", "EXPIRES");
            for (JsonNode t : answer.json()) {
                table.row(t.path("id").asText(), t.path("name").asText(), t.path("state").asText(),
                        Ages.since(t.path("createdAt").asText(null), now()), t.path("expiresAt").asText("never"));
            }
            table.print(out());
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", description = "Revoke a token by its id: refused everywhere from now on.")
    static class Revoke extends BaseCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            api().delete("/api/tokens/" + ApiClient.seg(id));
            println("Revoked token " + id + ".");
            return ExitCodes.OK;
        }
    }
}

package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.ExitCodes;
import io.berth.cli.api.ApiClient;
import io.berth.cli.output.Ages;
import io.berth.cli.output.Table;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "teams", description = "List and create teams, and manage their members.", synopsisSubcommandLabel = "COMMAND",
        subcommands = {TeamsCommand.ListTeams.class, TeamsCommand.Create.class, TeamsCommand.Delete.class,
                TeamsCommand.Members.class})
public class TeamsCommand {

    static String team(String name) {
        return "/api/teams/" + ApiClient.seg(name);
    }

    @Command(name = "list", aliases = "ls", description = "The teams you are in (every team for the platform admin).")
    static class ListTeams extends ReadCommand {
        @Override
        public Integer call() {
            ApiClient.Answer answer = api().get("/api/teams");
            if (printedJson(answer)) {
                return ExitCodes.OK;
            }
            Table table = new Table("NAME", "YOUR ROLE", "CREATED BY", "AGE");
            for (JsonNode t : answer.json()) {
                table.row(t.path("name").asText(), t.path("role").asText("-"), t.path("createdBy").asText(),
                        Ages.since(t.path("createdAt").asText(null), now()));
            }
            if (table.isEmpty()) {
                println("You are in no team yet.");
            } else {
                table.print(out());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", description = "Create a team (platform admin).")
    static class Create extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            JsonNode t = api().post("/api/teams", Map.of("name", name)).json();
            println("Created team " + t.path("name").asText() + "; add people with `berth teams members add "
                    + t.path("name").asText() + " USER --role developer`.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", description = "Delete a team and every membership in it (platform admin).")
    static class Delete extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            api().delete(team(name));
            println("Deleted team " + name + ".");
            return ExitCodes.OK;
        }
    }

    @Command(name = "members", description = "List, add and remove a team's members.", synopsisSubcommandLabel = "COMMAND",
            subcommands = {Members.ListMembers.class, Members.Add.class, Members.Remove.class})
    static class Members {

        @Command(name = "list", aliases = "ls", description = "A team's members and their roles.")
        static class ListMembers extends ReadCommand {
            @Parameters(index = "0", paramLabel = "TEAM")
            String team;

            @Override
            public Integer call() {
                ApiClient.Answer answer = api().get(team(team) + "/members");
                if (printedJson(answer)) {
                    return ExitCodes.OK;
                }
                Table table = new Table("USER", "ROLE", "SINCE");
                for (JsonNode m : answer.json()) {
                    table.row(m.path("user").asText(), m.path("role").asText(), Ages.since(m.path("since").asText(null), now()));
                }
                table.print(out());
                return ExitCodes.OK;
            }
        }

        @Command(name = "add", description = "Add a user (made on first use) to a team with a role.")
        static class Add extends BaseCommand {
            @Parameters(index = "0", paramLabel = "TEAM")
            String team;

            @Parameters(index = "1", paramLabel = "USER")
            String user;

            @Option(names = "--role", defaultValue = "developer", description = "admin, developer or viewer (default ${DEFAULT-VALUE})")
            String role;

            @Override
            public Integer call() {
                JsonNode m = api().post(team(team) + "/members", Map.of("user", user, "role", role)).json();
                println("Added " + m.path("user").asText() + " to " + m.path("team").asText() + " as " + m.path("role").asText()
                        + "; `berth tokens create NAME --user " + m.path("user").asText() + "` makes their token.");
                return ExitCodes.OK;
            }
        }

        @Command(name = "remove", aliases = "rm", description = "Remove a user from a team (their tokens lose the team at once).")
        static class Remove extends BaseCommand {
            @Parameters(index = "0", paramLabel = "TEAM")
            String team;

            @Parameters(index = "1", paramLabel = "USER")
            String user;

            @Override
            public Integer call() {
                api().delete(team(team) + "/members/" + ApiClient.seg(user));
                println("Removed " + user + " from " + team + ".");
                return ExitCodes.OK;
            }
        }
    }
}

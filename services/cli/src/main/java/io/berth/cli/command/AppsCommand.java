package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.cli.CliException;
import io.berth.cli.ExitCodes;
import io.berth.cli.api.ApiClient;
import io.berth.cli.api.ApiException;
import io.berth.cli.output.Ages;
import io.berth.cli.output.Table;
import java.io.Console;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "apps", description = "List, create, show and delete apps.", synopsisSubcommandLabel = "COMMAND",
        subcommands = {AppsCommand.ListApps.class, AppsCommand.Create.class, AppsCommand.Show.class, AppsCommand.Delete.class})
public class AppsCommand {

    @Command(name = "list", aliases = "ls", description = "List the apps you can see.")
    static class ListApps extends ReadCommand {
        @Override
        public Integer call() {
            ApiClient.Answer answer = api().get("/api/apps?size=500");
            if (printedJson(answer)) {
                return ExitCodes.OK;
            }
            Table table = new Table("NAME", "TEAM", "RELEASE", "REPLICAS", "AGE");
            for (JsonNode a : answer.json()) {
                table.row(a.path("name").asText(), a.path("team").asText(), release(a), a.path("replicas").asInt(),
                        Ages.since(a.path("createdAt").asText(null), now()));
            }
            if (table.isEmpty()) {
                println("No apps yet: create one with `berth apps create NAME`.");
            } else {
                table.print(out());
            }
            return ExitCodes.OK;
        }
    }

    /** v3, or v3 -> v4 while a rollout to v4 is under way. */
    static String release(JsonNode app) {
        JsonNode current = app.path("currentRelease");
        JsonNode target = app.path("targetRelease");
        if (current.isNull() || current.isMissingNode()) {
            return target.isNull() || target.isMissingNode() ? "-" : "-> v" + target.asInt();
        }
        return target.isIntegralNumber() && target.asInt() != current.asInt()
                ? "v" + current.asInt() + " -> v" + target.asInt() : "v" + current.asInt();
    }

    @Command(name = "create", description = "Create an app.")
    static class Create extends BaseCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "App name: lower-case letters, digits and inner '-', at most 40")
        String name;

        @Option(names = "--team", description = "Owning team (needed when you are in more than one)")
        String team;

        @Override
        public Integer call() {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("name", name);
            if (team != null) {
                body.put("team", team);
            }
            JsonNode app = api().post("/api/apps", body).json();
            println("Created app " + app.path("name").asText() + " (team " + app.path("team").asText() + ").");
            println("Deploy it with `berth deploy " + app.path("name").asText() + " --jar FILE` or `--command '...'`.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", description = "Show one app: its desired state, its current rollout and its instances.")
    static class Show extends ReadCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String name;

        @Override
        public Integer call() {
            ApiClient.Answer answer = api().get(app(name));
            if (printedJson(answer)) {
                return ExitCodes.OK;
            }
            JsonNode a = answer.json();
            Table fields = new Table("FIELD", "VALUE");
            fields.row("name", a.path("name").asText());
            fields.row("team", a.path("team").asText());
            fields.row("release", release(a));
            fields.row("replicas", a.path("replicas").asInt());
            fields.row("created", a.path("createdAt").asText() + " (" + Ages.since(a.path("createdAt").asText(null), now()) + " ago)");
            fields.row("updated", a.path("updatedAt").asText() + " (" + Ages.since(a.path("updatedAt").asText(null), now()) + " ago)");
            JsonNode rollout = optional(app(name) + "/rollouts/current");
            if (rollout != null) {
                fields.row("rollout", RolloutProgress.describe(rollout));
            }
            // the table has no header worth reading for key-value pairs: drop its first line
            String rendered = fields.render();
            out().print(rendered.substring(rendered.indexOf('\n') + 1));
            JsonNode instances = api().get(app(name) + "/instances").json();
            if (instances.size() > 0) {
                println("");
                InstancesCommand.table(instances).print(out());
            }
            out().flush();
            return ExitCodes.OK;
        }

        private JsonNode optional(String path) {
            try {
                return api().get(path).json();
            } catch (ApiException e) {
                if (e.status() == 404) {
                    return null;
                }
                throw e;
            }
        }
    }

    @Command(name = "delete", description = "Delete an app: its instances are stopped and its releases and history forgotten.")
    static class Delete extends BaseCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String name;

        @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation")
        boolean yes;

        @Override
        public Integer call() {
            if (!yes) {
                Console console = System.console();
                if (console == null) {
                    throw new CliException("deleting " + name + " needs --yes when there is no terminal to confirm on",
                            ExitCodes.USAGE);
                }
                String typed = console.readLine("This stops every instance of %s and forgets it. Type its name to confirm: ", name);
                if (!name.equals(typed == null ? null : typed.trim())) {
                    throw new CliException("not deleted: the name did not match", ExitCodes.USAGE);
                }
            }
            api().delete(app(name));
            println("Deleting app " + name + ": its instances are stopping.");
            return ExitCodes.OK;
        }
    }
}

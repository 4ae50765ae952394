package io.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "apps", description = "List, show and create apps.",
        subcommands = {AppsCommand.ListApps.class, AppsCommand.Create.class, AppsCommand.Show.class})
class AppsCommand {
    @ParentCommand
    BerthCommand berth;

    @Command(name = "list", description = "List the apps you can see.")
    static class ListApps implements Callable<Integer> {
        @ParentCommand
        AppsCommand apps;

        @Override
        public Integer call() {
            JsonNode list = apps.berth.client().get("/api/apps");
            System.out.printf("%-40s %-20s %s%n", "NAME", "TEAM", "CREATED");
            list.forEach(a -> System.out.printf("%-40s %-20s %s%n", a.path("name").asText(), a.path("team").asText(),
                    a.path("createdAt").asText()));
            return 0;
        }
    }

    @Command(name = "create", description = "Create an app.")
    static class Create implements Callable<Integer> {
        @ParentCommand
        AppsCommand apps;

        @Parameters(index = "0", description = "App name (DNS label: a-z, 0-9, '-')")
        String name;

        @Option(names = "--team", description = "Owning team")
        String team;

        @Override
        public Integer call() {
            JsonNode app = apps.berth.client().post("/api/apps",
                    team == null ? Map.of("name", name) : Map.of("name", name, "team", team));
            System.out.println("created " + app.path("name").asText() + " (team " + app.path("team").asText() + ")");
            return 0;
        }
    }

    @Command(name = "show", description = "Show one app.")
    static class Show implements Callable<Integer> {
        @ParentCommand
        AppsCommand apps;

        @Parameters(index = "0")
        String name;

        @Override
        public Integer call() {
            System.out.println(apps.berth.client().get("/api/apps/" + name).toPrettyString());
            return 0;
        }
    }
}

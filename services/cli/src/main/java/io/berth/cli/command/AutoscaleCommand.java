package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.CliException;
import io.berth.cli.ExitCodes;
import io.berth.cli.api.ApiClient;
import io.berth.cli.api.Json;
import io.berth.cli.output.Ages;
import io.berth.cli.output.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "autoscale", description = "Set, show and delete an app's autoscaling policy, and see its decisions.",
        synopsisSubcommandLabel = "COMMAND", subcommands = {AutoscaleCommand.Set.class, AutoscaleCommand.Show.class,
        AutoscaleCommand.Delete.class, AutoscaleCommand.Decisions.class})
public class AutoscaleCommand {

    static String policy(String app) {
        return BaseCommand.app(app) + "/autoscaling";
    }

    @Command(name = "set", sortOptions = false, description = {"Set an app's policy (it replaces the whole policy).",
            "Each metric is a target per instance; the largest want wins. A whole policy document: --file."})
    static class Set extends BaseCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Option(names = "--min", paramLabel = "N", description = "Never fewer instances")
        Integer min;

        @Option(names = "--max", paramLabel = "N", description = "Never more instances")
        Integer max;

        @Option(names = "--rps", paramLabel = "N", description = "Requests per second per instance")
        Double rps;

        @Option(names = "--cpu", paramLabel = "PERCENT", description = "CPU per instance, % of its limit")
        Double cpu;

        @Option(names = "--memory", paramLabel = "PERCENT", description = "Memory per instance, % of its limit")
        Double memory;

        @Option(names = "--response-time", paramLabel = "MS", description = "Average response time")
        Double responseTime;

        @Option(names = "--sessions", paramLabel = "N", description = "Concurrent sessions per instance")
        Double sessions;

        @Option(names = "--dry-run", description = "Decide and explain, but never scale")
        boolean dryRun;

        @Option(names = "--file", paramLabel = "FILE", description = "The policy as JSON (- for stdin), instead of the options above")
        String file;

        @Override
        public Integer call() throws IOException {
            Object body = file != null ? document() : fromOptions();
            ApiClient.Answer answer = api().put(policy(app), body);
            println((answer.status() == 201 ? "Autoscaling of " + app + " set: " : "Autoscaling of " + app + " replaced: ")
                    + Show.summary(answer.json()) + ".");
            return ExitCodes.OK;
        }

        private String document() throws IOException {
            try {
                return file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : Files.readString(Path.of(file));
            } catch (IOException e) {
                throw new CliException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")", ExitCodes.USAGE);
            }
        }

        private ObjectNode fromOptions() {
            ObjectNode p = Json.MAPPER.createObjectNode();
            if (min != null) {
                p.put("minReplicas", min);
            }
            if (max != null) {
                p.put("maxReplicas", max);
            }
            ArrayNode metrics = p.putArray("metrics");
            metric(metrics, "requestsPerSecond", rps);
            metric(metrics, "cpuPercent", cpu);
            metric(metrics, "memoryPercent", memory);
            metric(metrics, "responseTimeMillis", responseTime);
            metric(metrics, "sessions", sessions);
            p.put("dryRun", dryRun);
            return p;
        }

        private static void metric(ArrayNode metrics, String metric, Double target) {
            if (target != null) {
                metrics.addObject().put("metric", metric).put("target", target);
            }
        }
    }

    @Command(name = "show", description = "Show an app's policy as stored, defaults filled in.")
    static class Show extends ReadCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Override
        public Integer call() {
            ApiClient.Answer answer = api().get(policy(app));
            if (!printedJson(answer)) {
                JsonNode p = answer.json();
                println(summary(p));
                JsonNode b = p.path("behavior");
                if (b.isObject()) {
                    println("behaviour: up stabilization " + b.path("scaleUpStabilizationSeconds").asInt() + "s, down "
                            + b.path("scaleDownStabilizationSeconds").asInt() + "s, steps +" + b.path("maxScaleUpStep").asInt()
                            + "/-" + b.path("maxScaleDownStep").asInt() + ", cooldown " + b.path("cooldownSeconds").asInt()
                            + "s, tolerance " + b.path("tolerance").asDouble());
                }
                for (JsonNode s : p.path("schedules")) {
                    println("schedule: '" + s.path("cron").asText() + "' " + s.path("timeZone").asText("UTC") + " for "
                            + s.path("durationMinutes").asInt() + "m: min " + s.path("minReplicas").asInt()
                            + (s.hasNonNull("maxReplicas") ? ", max " + s.path("maxReplicas").asInt() : ""));
                }
            }
            return ExitCodes.OK;
        }

        /** "1 to 6 instances, requestsPerSecond 50/instance" */
        static String summary(JsonNode p) {
            if (p.path("singleton").asBoolean()) {
                return "singleton (never scaled)";
            }
            List<String> targets = new ArrayList<>();
            for (JsonNode m : p.path("metrics")) {
                targets.add(m.path("metric").asText() + " " + number(m.path("target").asDouble()) + "/instance");
            }
            return p.path("minReplicas").asInt() + " to " + p.path("maxReplicas").asInt() + " instances"
                    + (targets.isEmpty() ? "" : ", " + String.join(", ", targets))
                    + (p.path("dryRun").asBoolean() ? " (dry run)" : "");
        }

        private static String number(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }

    @Command(name = "delete", description = "Remove an app's policy: the autoscaler leaves it alone.")
    static class Delete extends BaseCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Override
        public Integer call() {
            api().delete(policy(app));
            println("Autoscaling of " + app + " removed.");
            return ExitCodes.OK;
        }
    }

    @Command(name = "decisions", description = "An app's scaling decisions, newest first, and why.")
    static class Decisions extends ReadCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "20", description = "How many (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        public Integer call() {
            ApiClient.Answer answer = api().get(policy(app) + "/decisions?size=" + limit);
            if (printedJson(answer)) {
                return ExitCodes.OK;
            }
            Table table = new Table("AGE", "FROM", "TO", "APPLIED", "WHY");
            for (JsonNode d : answer.json()) {
                table.row(Ages.since(d.path("decidedAt").asText(null), now()), d.path("fromReplicas").asInt(),
                        d.path("toReplicas").asInt(), d.path("dryRun").asBoolean() ? "dry run"
                                : d.path("published").asBoolean() ? "yes" : "pending", d.path("reason").asText());
            }
            if (table.isEmpty()) {
                println("No decisions for " + app + " yet.");
            } else {
                table.print(out());
            }
            return ExitCodes.OK;
        }
    }
}

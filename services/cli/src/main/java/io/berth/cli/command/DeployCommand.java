package io.berth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.berth.cli.CliException;
import io.berth.cli.ExitCodes;
import io.berth.cli.api.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "deploy", description = {"Create a release of an app and follow its rollout until it ends.",
        "Exit 0 when it completed, 4 when it failed or was rolled back.",
        "What to run: --jar FILE, --command 'LINE', --image REF, or words after --;",
        "a command with --jar or --image runs in it, with the jar mounted read-only."},
        sortOptions = false)
public class DeployCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "APP")
    String app;

    @Parameters(index = "1..*", paramLabel = "ARG", description = "The command and its arguments, after --")
    List<String> argv;

    @Option(names = "--jar", paramLabel = "FILE", description = "Run `java -jar FILE`, or the command given with it (a file under the agent's artifact roots, "
            + "mounted read-only into each instance)")
    Path jar;

    @Option(names = "--command", paramLabel = "LINE", description = "Run this command line (split into words as a shell would, nothing expanded)")
    String command;

    @Option(names = "--image", paramLabel = "REF", description = "Run this container image (its own command, or the one given with it)")
    String image;

    @Option(names = "--replicas", paramLabel = "N", description = "Instances (default: as many as now, 1 for a new app)")
    Integer replicas;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = "An environment variable (repeat for more)")
    List<String> env = new ArrayList<>();

    @Option(names = "--secret-env", paramLabel = "NAME[=VALUE]",
            description = "A secret environment variable, stored sealed and never shown; without =VALUE it is read from this shell's NAME")
    List<String> secretEnv = new ArrayList<>();

    @Option(names = "--health-path", paramLabel = "PATH", description = "HTTP health check on this path (default: a TCP check of the port)")
    String healthPath;

    @Option(names = "--port", paramLabel = "PORT", description = "The port the app listens on under Kubernetes (default 8080; the agent gives each instance its own PORT)")
    Integer port;

    @Option(names = "--memory", paramLabel = "MIB", description = "Memory limit in MiB (default 512)")
    Integer memoryMiB;

    @Option(names = "--cpu", paramLabel = "MILLICORES", description = "CPU limit in millicores (default 1000)")
    Integer cpuMillis;

    @Option(names = "--canary", paramLabel = "PERCENT", description = "Run it as a canary taking this share of requests, until promoted or aborted")
    Integer canaryWeight;

    @Option(names = "--progress-deadline", paramLabel = "SECONDS", description = "Roll back when no new instance is ready within this long (default 120)")
    Integer progressDeadline;

    @Option(names = "--no-wait", description = "Return once the release is created, without following its rollout")
    boolean noWait;

    @Override
    public Integer call() {
        ObjectNode spec = spec();
        JsonNode release = api().post(app(app) + "/releases", spec).json();
        int version = release.path("version").asInt();
        println("Release v" + version + " of " + app + " created, running: " + what(release.path("spec")));
        if (noWait) {
            println("Rolling out; follow it with `berth apps show " + app + "`.");
            return ExitCodes.OK;
        }
        return new RolloutProgress(api(), app, out(), err())
                .follow(r -> r.path("toRelease").asInt() == version && !"rollback".equals(r.path("kind").asText()));
    }

    ObjectNode spec() {
        boolean hasArgv = argv != null && !argv.isEmpty();
        if ((jar != null && image != null) || (command != null && hasArgv)
                || (jar == null && image == null && command == null && !hasArgv)) {
            throw new CliException("give what to run: --jar FILE or --image REF, and/or --command 'LINE' or the command "
                    + "after --", ExitCodes.USAGE);
        }
        ObjectNode spec = Json.MAPPER.createObjectNode();
        if (jar != null) {
            // the agent runs on the platform's machine: a relative path means this directory's file
            spec.put("artifact", jar.toAbsolutePath().normalize().toString());
        } else if (image != null) {
            spec.put("image", image);
        }
        if (command != null || hasArgv) {
            List<String> words;
            try {
                words = command != null ? CommandWords.split(command) : argv;
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), ExitCodes.USAGE);
            }
            if (words.isEmpty()) {
                throw new CliException("the command is empty", ExitCodes.USAGE);
            }
            ArrayNode argvNode = spec.putArray("command");
            words.forEach(argvNode::add);
        }
        if (!env.isEmpty() || !secretEnv.isEmpty()) {
            ArrayNode vars = spec.putArray("env");
            env.forEach(e -> vars.add(variable(e, false)));
            secretEnv.forEach(e -> vars.add(variable(e, true)));
        }
        if (healthPath != null) {
            spec.putObject("health").put("type", "http").put("path", healthPath);
        }
        if (port != null) {
            spec.put("port", port);
        }
        if (memoryMiB != null || cpuMillis != null) {
            ObjectNode resources = spec.putObject("resources");
            if (memoryMiB != null) {
                resources.put("memoryMiB", memoryMiB);
            }
            if (cpuMillis != null) {
                resources.put("cpuMillis", cpuMillis);
            }
        }
        if (replicas != null) {
            spec.put("replicas", replicas);
        }
        if (progressDeadline != null || canaryWeight != null) {
            ObjectNode strategy = spec.putObject("strategy");
            if (progressDeadline != null) {
                strategy.put("progressDeadlineSeconds", progressDeadline);
            }
            if (canaryWeight != null) {
                strategy.putObject("canary").put("weight", canaryWeight);
            }
        }
        return spec;
    }

    private ObjectNode variable(String assignment, boolean secret) {
        int eq = assignment.indexOf('=');
        String name;
        String value;
        if (eq > 0) {
            name = assignment.substring(0, eq);
            value = assignment.substring(eq + 1);
        } else if (secret && eq < 0) {
            name = assignment;
            value = root().env().get(name);
            if (value == null) {
                throw new CliException("--secret-env " + name + ": " + name + " is not set in this shell", ExitCodes.USAGE);
            }
        } else {
            throw new CliException((secret ? "--secret-env" : "--env") + " '" + assignment + "' must be NAME=VALUE",
                    ExitCodes.USAGE);
        }
        ObjectNode v = Json.MAPPER.createObjectNode().put("name", name).put("value", value);
        if (secret) {
            v.put("secret", true);
        }
        return v;
    }

    /** What a release runs, short: "java -jar /srv/app.jar", "sh -c ...". */
    static String what(JsonNode spec) {
        if (spec.hasNonNull("artifact") && !spec.hasNonNull("command")) {
            return "java -jar " + spec.path("artifact").asText();
        }
        if (spec.hasNonNull("image") && !spec.hasNonNull("command")) {
            return "image " + spec.path("image").asText();
        }
        List<String> words = new ArrayList<>();
        spec.path("command").forEach(w -> words.add(w.asText().contains(" ") ? "'" + w.asText() + "'" : w.asText()));
        String line = String.join(" ", words);
        return line.length() > 60 ? line.substring(0, 57) + "..." : line;
    }
}

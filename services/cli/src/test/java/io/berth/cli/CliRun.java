package io.berth.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import picocli.CommandLine;

/** Runs the berth command in this JVM with an environment and clock of the test's, capturing what it prints. */
public record CliRun(int exit, String out, String err) {
    public static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    public static CliRun run(Map<String, String> env, String... args) {
        CommandLine cli = BerthCommand.commandLine(env, Clock.fixed(NOW, ZoneOffset.UTC));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}

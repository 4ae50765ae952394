package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BerthCommandTest {
    @TempDir
    Path home;

    private Map<String, String> env() {
        // an empty home: no saved login, no admin token file found
        return Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve("config").toString(),
                "XDG_DATA_HOME", home.resolve("data").toString(), "BERTH_HOME", home.resolve("berth").toString());
    }

    @Test
    void helpListsEveryCommand() {
        CliRun run = CliRun.run(env(), "--help");
        assertEquals(0, run.exit());
        for (String command : new String[] {"login", "logout", "apps", "deploy", "releases", "rollback", "scale", "restart",
                "instances", "logs", "autoscale", "teams", "tokens", "completion", "status"}) {
            assertTrue(run.out().contains("  " + command), command + " missing from\n" + run.out());
        }
        assertEquals(0, CliRun.run(env(), "--version").exit());
    }

    @Test
    void aWrongOptionIsAUsageErrorInOneLineWithAPointer() {
        CliRun run = CliRun.run(env(), "apps", "list", "--jsn");
        assertEquals(ExitCodes.USAGE, run.exit());
        assertTrue(run.err().startsWith("berth: Unknown option: '--jsn'"), run.err());
        assertTrue(run.err().contains("See `berth apps list --help`."), run.err());
    }

    @Test
    void aGroupWithoutItsCommandIsAUsageError() {
        CliRun run = CliRun.run(env(), "apps");
        assertEquals(ExitCodes.USAGE, run.exit());
        assertTrue(run.err().contains("Missing required subcommand"), run.err());
    }

    @Test
    void scaleNeedsANumber() {
        CliRun run = CliRun.run(env(), "scale", "web", "many");
        assertEquals(ExitCodes.USAGE, run.exit());
        assertTrue(run.err().contains("'many'"), run.err());
    }

    @Test
    void anUnreachableApiIsAClearErrorNotAStackTrace() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        CliRun run = CliRun.run(Map.of("BERTH_TOKEN", "t", "HOME", home.toString()),
                "--api", "http://127.0.0.1:" + closedPort, "apps", "list");
        assertEquals(ExitCodes.UNAVAILABLE, run.exit());
        assertTrue(run.err().startsWith("berth: cannot reach http://127.0.0.1:" + closedPort), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void withNoTokenAnywhereItSaysHowToLogIn() {
        CliRun run = CliRun.run(env(), "apps", "list");
        assertEquals(ExitCodes.USAGE, run.exit());
        assertTrue(run.err().contains("not logged in: run `berth login`"), run.err());
    }

    @Test
    void aMissingTokenFileSaysWhereItLooked() {
        CliRun run = CliRun.run(env(), "--token-file", "/nonexistent/token", "apps", "list");
        assertEquals(ExitCodes.USAGE, run.exit());
        assertTrue(run.err().contains("/nonexistent/token"), run.err());
    }

    @Test
    void logsRefusesATimeItCannotRead() {
        CliRun run = CliRun.run(Map.of("BERTH_TOKEN", "t", "HOME", home.toString()), "logs", "web", "--since", "yesterday-ish");
        assertEquals(ExitCodes.USAGE, run.exit());
        assertTrue(run.err().contains("--since: 'yesterday-ish' is neither an age"), run.err());
    }

    @Test
    void followGoesWithoutUntil() {
        CliRun run = CliRun.run(Map.of("BERTH_TOKEN", "t", "HOME", home.toString()), "logs", "web", "-f", "--until", "5m");
        assertEquals(ExitCodes.USAGE, run.exit());
        assertTrue(run.err().contains("--until"), run.err());
    }

    @Test
    void deployWantsOneThingToRunAndAtMostOneCommandForIt() {
        Map<String, String> env = Map.of("BERTH_TOKEN", "t", "HOME", home.toString());
        CliRun none = CliRun.run(env, "deploy", "web");
        assertEquals(ExitCodes.USAGE, none.exit());
        assertTrue(none.err().contains("--jar FILE or --image REF, and/or --command"), none.err());
        CliRun jarAndImage = CliRun.run(env, "deploy", "web", "--jar", "a.jar", "--image", "web:1");
        assertEquals(ExitCodes.USAGE, jarAndImage.exit());
        CliRun twoCommands = CliRun.run(env, "deploy", "web", "--command", "sleep 1", "--", "sleep", "2");
        assertEquals(ExitCodes.USAGE, twoCommands.exit());
    }

    @Test
    void completionIsABashScriptForEveryCommand() {
        CliRun run = CliRun.run(env(), "completion");
        assertEquals(0, run.exit());
        assertTrue(run.out().contains("complete -F _complete_berth"), run.out().substring(0, Math.min(500, run.out().length())));
        assertTrue(run.out().contains("deploy") && run.out().contains("autoscale"));
    }

    @Test
    void aRunNamingACommandLoadsThatCommandAlone() {
        assertEquals("apps", BerthCommand.firstWord(new String[] {"--api", "http://x", "--token-file=/t", "apps", "list"}));
        assertEquals("logs", BerthCommand.firstWord(new String[] {"--token-file", "/t", "-h", "logs"}));
        assertEquals(null, BerthCommand.firstWord(new String[] {"--version"}));
        picocli.CommandLine one = BerthCommand.commandLine(env(), java.time.Clock.systemUTC(), new String[] {"ps", "web"});
        assertEquals(java.util.Set.of("instances", "ps"), one.getSubcommands().keySet());
        picocli.CommandLine all = BerthCommand.commandLine(env(), java.time.Clock.systemUTC(), new String[] {"nonsense"});
        assertTrue(all.getSubcommands().keySet().containsAll(java.util.List.of("deploy", "logs", "help", "completion")));
        // --help of one command still has the inherited help option
        assertTrue(one.getSubcommands().get("ps").getCommandSpec().optionsMap().containsKey("--help"));
    }
}

package io.berth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BerthCommandTest {

    private record Run(int exit, String err) {
    }

    private static Run run(String... args) {
        CommandLine cli = BerthCommand.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        return new Run(cli.execute(args), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        CommandLine cli = BerthCommand.commandLine();
        String usage = cli.getUsageMessage();
        assertTrue(usage.contains("status") && usage.contains("apps"), usage);
        assertEquals(0, cli.execute("--version"));
    }

    @Test
    void anUnreachableApiIsAClearErrorNotAStackTrace() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Run run = run("--api", "http://127.0.0.1:" + closedPort, "--token-file", "/dev/null", "apps", "list");
        assertEquals(3, run.exit());
        assertTrue(run.err().startsWith("berth: cannot reach http://127.0.0.1:" + closedPort), run.err());
        assertTrue(!run.err().contains("\tat "), run.err());
    }

    @Test
    void aMissingTokenSaysWhereItLooked() {
        Run run = run("--token-file", "/nonexistent/token", "apps", "list");
        assertEquals(1, run.exit());
        assertTrue(run.err().contains("/nonexistent/token"), run.err());
    }
}

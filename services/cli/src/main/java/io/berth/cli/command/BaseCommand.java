package io.berth.cli.command;

import io.berth.cli.BerthCommand;
import io.berth.cli.api.ApiClient;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command needs: the API as the root command's options and the environment decide, and its output. */
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private ApiClient client;

    BerthCommand root() {
        return (BerthCommand) spec.root().userObject();
    }

    ApiClient api() {
        if (client == null) {
            client = root().client();
        }
        return client;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Instant now() {
        return root().clock().instant();
    }

    void println(String line) {
        out().println(line);
        out().flush();
    }

    static String app(String name) {
        return "/api/apps/" + ApiClient.seg(name);
    }
}

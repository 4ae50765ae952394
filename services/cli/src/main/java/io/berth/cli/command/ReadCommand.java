package io.berth.cli.command;

import io.berth.cli.api.ApiClient;
import picocli.CommandLine.Option;

/** A command that shows something: a table for people, or with --json the API's own JSON for scripts. */
abstract class ReadCommand extends BaseCommand {
    @Option(names = "--json", description = "Print the API's JSON answer instead of a table")
    boolean json;

    /** The answer's body as the API sent it; true when it was printed (--json). */
    boolean printedJson(ApiClient.Answer answer) {
        if (json) {
            println(answer.body() == null || answer.body().isBlank() ? "null" : answer.body().strip());
        }
        return json;
    }
}

package io.berth.cli;

/** A failure the user must read as one line, with the exit code that says what kind it is. */
public class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

package io.berth.cli.api;

import io.berth.cli.CliException;
import io.berth.cli.ExitCodes;

/** An answer of the API that is not a success: {@link ExitCodes#REFUSED} for a 4xx, {@link ExitCodes#UNAVAILABLE} otherwise. */
public final class ApiException extends CliException {
    private final int status;

    public ApiException(int status, String message) {
        super(message, status >= 400 && status < 500 ? ExitCodes.REFUSED : ExitCodes.UNAVAILABLE);
        this.status = status;
    }

    /** The HTTP status, 0 when no answer came at all. */
    public int status() {
        return status;
    }
}

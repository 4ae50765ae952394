package io.berth.cli;

/** What the exit status of every command means, so scripts can branch on it (documented in the README). */
public final class ExitCodes {
    /** done */
    public static final int OK = 0;
    /** bad usage or a local problem: a wrong option, no token, an unreadable file */
    public static final int USAGE = 1;
    /** the API refused the request (4xx): bad input, not found, not allowed */
    public static final int REFUSED = 2;
    /** the API could not be reached, timed out or failed (5xx) */
    public static final int UNAVAILABLE = 3;
    /** a rollout the command waited for ended FAILED or ROLLED_BACK, or was superseded by another */
    public static final int ROLLOUT_FAILED = 4;

    private ExitCodes() {
    }
}

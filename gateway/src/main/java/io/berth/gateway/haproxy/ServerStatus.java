package io.berth.gateway.haproxy;

/**
 * One server of an app backend as HAProxy has it right now: from {@code show servers state}
 * (address, admin state, weight) joined with {@code show stat} (health status, sessions, queue).
 *
 * @param adminState HAProxy's SRV_ADMF_* bits: 0x01 forced maint, 0x02 inherited maint, 0x04 maint from
 *        the configuration, 0x08 forced drain, 0x10 inherited drain, 0x20 maint by DNS resolution
 * @param status {@code show stat}'s status column: UP, DOWN, MAINT, DRAIN, "UP 1/2", "no check", ...
 */
public record ServerStatus(String backend, String name, String address, int port, int adminState, int weight,
        String status, String checkStatus, long sessions, long queued) {

    private static final int MAINT = 0x01 | 0x02 | 0x04 | 0x20;
    private static final int DRAIN = 0x08 | 0x10;

    public boolean inMaintenance() {
        return (adminState & MAINT) != 0;
    }

    public boolean draining() {
        return !inMaintenance() && (adminState & DRAIN) != 0;
    }

    /** Up for traffic as far as the health check goes (UP, or going down but not yet out). */
    public boolean healthy() {
        return status != null && (status.startsWith("UP") || status.startsWith("NOLB") || status.equals("no check"));
    }

    /** Nothing in flight: no session and nothing queued. */
    public boolean idle() {
        return sessions == 0 && queued == 0;
    }
}

package io.berth.gateway.render;

import io.berth.gateway.model.Member;

/**
 * The options of one app server, the same in the rendered configuration and on a Runtime API
 * {@code add server} line: dynamic servers inherit nothing from {@code default-server}, so both
 * places must spell out the health check and the weight.
 */
public final class ServerLine {
    private ServerLine() {
    }

    /** {@code <ip>:<port> check inter <ms> fall <n> rise <n> weight <w>}. */
    public static String addressAndOptions(Member member, RenderSettings settings) {
        return member.host() + ":" + member.port()
                + " check inter " + settings.checkInterval().toMillis()
                + " fall " + settings.checkFall()
                + " rise " + settings.checkRise()
                + " weight " + member.weight();
    }
}

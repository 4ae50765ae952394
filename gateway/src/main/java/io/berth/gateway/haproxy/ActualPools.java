package io.berth.gateway.haproxy;

import java.util.List;
import java.util.Map;

/** What HAProxy runs now: its app backends and their servers. */
public record ActualPools(List<String> backends, Map<String, Map<String, ServerStatus>> servers) {

    /** Reads both tables over the admin socket. */
    public static ActualPools read(HaproxyRuntimeApi runtime) throws java.io.IOException {
        String state = runtime.execute("show servers state");
        String stat = runtime.execute("show stat");
        return new ActualPools(RuntimeAnswers.appBackends(stat), RuntimeAnswers.appServers(state, stat));
    }
}

package io.berth.gateway;

import io.berth.common.problem.Problem;
import io.berth.common.problem.ProblemException;
import io.berth.gateway.haproxy.HaproxyRuntimeApi;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.util.Map;

@Path("/api/gateway")
public class GatewayResource {
    private final HaproxyRuntimeApi haproxy;

    GatewayResource(HaproxyRuntimeApi haproxy) {
        this.haproxy = haproxy;
    }

    /** What HAProxy reports about itself: version, uptime, connections, ... */
    @GET
    @Path("/haproxy")
    @Blocking
    public Map<String, String> haproxyInfo() {
        try {
            return haproxy.info();
        } catch (IOException e) {
            throw new ProblemException(Problem.of(503, "HAProxy unavailable", e.getMessage()));
        }
    }
}

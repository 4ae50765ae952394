package io.berth.gateway.api;

import io.berth.common.access.AppAccess;
import io.berth.common.access.PlatformOnly;
import io.berth.common.problem.Problem;
import io.berth.common.problem.ProblemException;
import io.berth.gateway.haproxy.ActualPools;
import io.berth.gateway.haproxy.HaproxyRuntimeApi;
import io.berth.gateway.registry.RegistryView;
import io.berth.gateway.render.RenderSettings;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * The gateway's routes and HAProxy's own state. Routes are scoped by team: {@code ?app=} by common's
 * AppAccessFilter (another team's app is a 404), the whole list by {@link AppAccess#sees}. HAProxy's
 * state spans every team and is the platform's alone.
 */
@Path("/api/gateway")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "gateway", description = "The HAProxy gateway: routes and HAProxy itself")
public class GatewayResource {
    private final HaproxyRuntimeApi haproxy;
    private final RegistryView view;
    private final RenderSettings settings;
    private final AppAccess access;

    GatewayResource(HaproxyRuntimeApi haproxy, RegistryView view, RenderSettings settings, AppAccess access) {
        this.haproxy = haproxy;
        this.view = view;
        this.settings = settings;
        this.access = access;
    }

    @GET
    @Path("/routes")
    @Blocking
    @Operation(summary = "Every routed app the caller may see (a member: their teams' apps): its host, health check "
            + "and servers (HAProxy state, weight, health)",
            description = "Joins the registry as the gateway last saw it with what HAProxy reports now. A server "
                    + "that is registered but not yet in HAProxy is 'pending'; one that HAProxy still has but the "
                    + "registry no longer does is shown with registered=false (draining).")
    public List<RouteView> routes(@RestQuery String app) {
        try {
            List<RouteView> routes = RoutesQuery.routes(view.desired(), ActualPools.read(haproxy), settings);
            // the deploy service asks about one app on every rollout step
            return app == null ? routes.stream().filter(r -> access.sees(r.app())).toList()
                    : routes.stream().filter(r -> r.app().equals(app)).toList();
        } catch (IOException e) {
            throw new ProblemException(Problem.of(503, "HAProxy unavailable", e.getMessage()));
        }
    }

    @GET
    @Path("/haproxy")
    @Blocking
    @PlatformOnly
    @Operation(summary = "What HAProxy reports about itself (show info): version, uptime, connections, ...; "
            + "the platform admin and the services only")
    public Map<String, String> haproxyInfo() {
        try {
            return haproxy.info();
        } catch (IOException e) {
            throw new ProblemException(Problem.of(503, "HAProxy unavailable", e.getMessage()));
        }
    }
}

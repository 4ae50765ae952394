package io.berth.gateway.api;

import io.berth.gateway.haproxy.ActualPools;
import io.berth.gateway.haproxy.HaproxyNames;
import io.berth.gateway.haproxy.ServerStatus;
import io.berth.gateway.model.AppPool;
import io.berth.gateway.model.Member;
import io.berth.gateway.render.HaproxyConfigRenderer;
import io.berth.gateway.render.HealthPaths;
import io.berth.gateway.render.RenderSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Joins the desired pools with what HAProxy reports into the routes the API shows. Pure. */
final class RoutesQuery {
    private RoutesQuery() {
    }

    static List<RouteView> routes(Map<String, AppPool> desired, ActualPools actual, RenderSettings settings) {
        Set<String> apps = new TreeSet<>(desired.keySet());
        actual.backends().forEach(b -> HaproxyNames.appOf(b).ifPresent(apps::add));
        List<RouteView> routes = new ArrayList<>();
        for (String app : apps) {
            String backend = HaproxyNames.backend(app);
            AppPool pool = desired.get(app);
            Map<String, ServerStatus> have = actual.servers().getOrDefault(backend, Map.of());
            List<RouteView.ServerView> servers = new ArrayList<>();
            Set<String> seen = new TreeSet<>();
            if (pool != null) {
                for (Member m : pool.members().values()) {
                    String name = HaproxyNames.server(m.instance());
                    seen.add(name);
                    ServerStatus s = have.get(name);
                    servers.add(new RouteView.ServerView(m.instance(), m.release(), m.host(), m.port(),
                            s == null ? m.weight() : s.weight(), true, s == null ? "pending" : s.status(),
                            s == null ? null : s.checkStatus(), s == null ? 0 : s.sessions()));
                }
            }
            have.values().stream().filter(s -> !seen.contains(s.name())).forEach(s -> servers.add(
                    new RouteView.ServerView(s.name(), null, s.address(), s.port(), s.weight(), false, s.status(),
                            s.checkStatus(), s.sessions())));
            String check = pool == null ? "unknown"
                    : HealthPaths.safe(pool.healthPath()).map(p -> "http GET " + p).orElse("tcp");
            routes.add(new RouteView(app, HaproxyConfigRenderer.host(app, settings), backend, check,
                    actual.backends().contains(backend), servers));
        }
        return routes;
    }
}

package io.berth.gateway.render;

import io.berth.gateway.haproxy.HaproxyNames;
import io.berth.gateway.model.AppPool;
import io.berth.gateway.model.BackendLayout;
import io.berth.gateway.model.Member;
import java.util.Map;
import java.util.Optional;

/**
 * Renders HAProxy's whole configuration from the apps: a pure function, so the same apps always give
 * the same text and the text can be compared with what is on disk.
 *
 * <p>Each app gets a backend {@code app_<app>} reached by Host header {@code <app>.<domain>} (any
 * port). Its current servers are written in as static servers so that the worker a reload starts
 * serves the same pool at once; after that, membership changes go through the Runtime API only.
 */
public final class HaproxyConfigRenderer {
    private HaproxyConfigRenderer() {
    }

    public static String render(BackendLayout layout, Map<String, AppPool> pools, RenderSettings s) {
        StringBuilder out = new StringBuilder(2048);
        out.append("""
                # Rendered by the Berth gateway controller (gateway/). Do not edit: the controller rewrites
                # this file when an app is added and reloads HAProxy through the master socket; pool
                # membership changes go through the Runtime API and never show up here until the next render.
                global
                    master-worker
                """);
        out.append("    pidfile ").append(s.pidFile()).append('\n');
        out.append("    stats socket ").append(s.adminSocket()).append(" mode 600 level admin expose-fd listeners\n");
        out.append("""
                    stats timeout 30s
                    # an old worker left by a reload ends at the latest this long after it
                    hard-stop-after 60s
                    # Access and alert logs go to HAProxy's stdout (bin/berth-dev: haproxy.log).
                    log stdout format raw local0 info

                defaults
                    mode http
                    log global
                    option httplog
                    option dontlognull
                    # On a reload, the old worker answers one more request on each idle keep-alive
                    # connection with "Connection: close" instead of closing it under the client's feet.
                    option idle-close-on-response
                    timeout connect 5s
                    timeout client 30s
                    timeout server 30s
                    timeout http-request 10s
                    timeout http-keep-alive 10s
                    timeout queue 30s
                    timeout check 2s

                frontend gateway
                """);
        out.append("    bind ").append(s.bind()).append('\n');
        out.append("    # route by the Host header without its port: <app>.").append(s.domain()).append('\n');
        out.append("    http-request set-var(txn.berth_host) req.hdr(host),field(1,:),lower\n");
        for (String app : layout.healthPathByApp().keySet()) {
            out.append("    use_backend ").append(HaproxyNames.backend(app))
                    .append(" if { var(txn.berth_host) -m str ").append(host(app, s)).append(" }\n");
        }
        out.append("""
                    default_backend berth_no_app

                # A Host that names no app gets a short JSON 503.
                backend berth_no_app
                    http-request return status 503 content-type application/json string '{"status":503,"title":"no app is routed for this Host","detail":"no Berth app matches this request yet"}'
                """);
        layout.healthPathByApp().forEach((app, healthPath) -> {
            AppPool pool = pools.get(app);
            renderBackend(out, app, healthPath, pool == null ? Map.of() : pool.members(), s);
        });
        out.append("""

                frontend stats
                """);
        out.append("    bind ").append(s.statsBind()).append('\n');
        out.append("""
                    http-request set-log-level silent
                    stats enable
                    stats uri /stats
                    stats refresh 10s
                """);
        if (s.prometheusExporter()) {
            out.append("    http-request use-service prometheus-exporter if { path /metrics }\n");
        }
        return out.toString();
    }

    /** The host name an app is served at. */
    public static String host(String app, RenderSettings s) {
        return (app + "." + s.domain()).toLowerCase(java.util.Locale.ROOT);
    }

    private static void renderBackend(StringBuilder out, String app, Optional<String> healthPath,
            Map<String, Member> members, RenderSettings s) {
        out.append('\n').append("backend ").append(HaproxyNames.backend(app)).append('\n');
        out.append("    balance roundrobin\n");
        Optional<String> path = HealthPaths.safe(healthPath);
        if (path.isPresent()) {
            out.append("    option httpchk\n");
            out.append("    http-check send meth GET uri ").append(path.get())
                    .append(" ver HTTP/1.1 hdr Host ").append(host(app, s)).append('\n');
        } else {
            out.append("    # no health path known: servers are checked by a TCP connect\n");
        }
        out.append("""
                    # A failed connection is retried on another server; a request that reached a server is
                    # replayed only if it is idempotent (GET/HEAD), never a POST.
                    retries 3
                    option redispatch 1
                    retry-on conn-failure empty-response response-timeout 503
                    http-request disable-l7-retry unless METH_GET
                    # dynamic servers (Runtime API add server) need this
                    load-server-state-from-file none
                """);
        for (Member m : members.values()) {
            out.append("    server ").append(HaproxyNames.server(m.instance())).append(' ')
                    .append(ServerLine.addressAndOptions(m, s)).append('\n');
        }
    }
}

package io.berth.console.proxy;

import io.berth.common.problem.Problem;
import io.berth.console.ConsoleConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.HttpProxy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The console's front door for the API (decision 8): every {@code /api/**} request but the console's
 * own {@code /api/console/**} goes to the service that owns its path, by Vert.x's reverse proxy, which
 * streams both bodies (so Server-Sent Events pass as they come) and drops hop-by-hop headers. The
 * caller's {@code Authorization} goes along unchanged: each service authenticates it and scopes it to
 * the caller's teams itself, so the hop cannot widen anyone's access. The route runs after Quarkus'
 * authentication (a call without a valid token never leaves the console) and before RESTEasy.
 */
@ApplicationScoped
public class ApiProxy {
    private static final Logger LOG = Logger.getLogger(ApiProxy.class);
    static final String CONSOLE_PREFIX = "/api/console/";

    private final ConsoleConfig config;
    private final Vertx vertx;
    private final RouteTable routes;
    private final Map<String, HttpProxy> proxies = new TreeMap<>();
    private HttpClient client;

    ApiProxy(ConsoleConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.routes = RouteTable.of(config.routes());
        for (RouteTable.Route route : routes.routes()) {
            if (!config.services().containsKey(route.service())) {
                throw new IllegalStateException("berth.console.routes." + route.service()
                        + " names a service with no berth.console.services." + route.service() + " address");
            }
        }
    }

    void install(@Observes Router router) {
        client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.proxy().connectTimeout().toMillis())
                // a live stream may be quiet for minutes: no idle timeout on the way to the service
                .setIdleTimeout(0)
                .setKeepAlive(true)
                .setMaxPoolSize(config.proxy().maxConnectionsPerService()));
        config.services().forEach((service, base) -> proxies.put(service, proxyTo(service, base)));
        router.route("/api/*").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::forward);
        LOG.infof("API proxy: %s", routes.routes());
    }

    void close(@Observes ShutdownEvent shutdown) {
        if (client != null) {
            client.close();
        }
    }

    private HttpProxy proxyTo(String service, URI base) {
        int port = base.getPort() != -1 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
        return HttpProxy.reverseProxy(client)
                .origin(port, base.getHost())
                .addInterceptor(new ForwardingInterceptor(service));
    }

    private void forward(RoutingContext context) {
        String path = context.normalizedPath();
        if (path.startsWith(CONSOLE_PREFIX) || path.equals("/api/console")) {
            context.next();
            return;
        }
        Optional<String> service = routes.serviceFor(path);
        if (service.isEmpty()) {
            context.response()
                    .setStatusCode(404)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Json.encode(Problem.of(404, "Not Found", "no Berth API at " + path).at(path)));
            return;
        }
        HttpServerRequest request = context.request();
        if (request.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true)) {
            // the caller (curl, for a body over 1 KiB) waits for this before it sends the body; the
            // token has been checked by now, so the body is welcome and goes on as it comes
            request.response().writeContinue();
        }
        proxies.get(service.get()).handle(request);
    }
}

package io.berth.common.audit;

import io.berth.common.access.AppAccessFilter;
import io.berth.common.auth.Caller;
import io.berth.events.audit.AuditRecorded;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Records every change (POST, PUT, PATCH, DELETE) that reached an endpoint of this service, once
 * its answer is known, refusals included (403, 404 for another team's app, 429), and hands it to
 * {@link AuditPublisher}. Calls refused before any endpoint is matched (no token: 401) carry no
 * caller and are not recorded.
 */
public class AuditFilter {
    private final AuditPublisher publisher;
    private final AuditContext context;
    private final SecurityIdentity identity;
    private final Map<Method, String> routes = new ConcurrentHashMap<>();

    AuditFilter(AuditPublisher publisher, AuditContext context, SecurityIdentity identity) {
        this.publisher = publisher;
        this.context = context;
        this.identity = identity;
    }

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource,
            HttpServerRequest http) {
        Method method = resource.getResourceMethod();
        if (method == null || !AppAccessFilter.isChange(request.getMethod())) {
            return;
        }
        Optional<Caller> caller = Caller.of(identity);
        if (caller.isEmpty()) {
            return;
        }
        int status = response.getStatus();
        String app = context.app();
        SocketAddress remote = http.remoteAddress();
        publisher.publish(new AuditRecorded(
                app == null || app.isBlank() ? AuditRecorded.NO_APP : app,
                context.team(),
                caller.get().actor(),
                kind(caller.get()),
                caller.get().tokenId().orElse(null),
                request.getMethod() + " " + routes.computeIfAbsent(method, m -> template(resource)),
                request.getUriInfo().getPath(),
                remote == null ? null : remote.hostAddress(),
                status,
                outcome(status, context.wasHidden()),
                Instant.now()));
    }

    static String kind(Caller caller) {
        if (caller instanceof Caller.Service) {
            return "service";
        }
        return caller instanceof Caller.PlatformAdmin ? "platform-admin" : "member";
    }

    static String outcome(int status, boolean hidden) {
        if (status < 400) {
            return AuditRecorded.OK;
        }
        return status == 401 || status == 403 || status == 429 || hidden ? AuditRecorded.DENIED : AuditRecorded.FAILED;
    }

    /** The route as declared, {@code /api/apps/{app}/scale}: the class's path and the method's. */
    private static String template(ResourceInfo resource) {
        Path onClass = resource.getResourceClass().getAnnotation(Path.class);
        Path onMethod = resource.getResourceMethod().getAnnotation(Path.class);
        String joined = "/" + (onClass == null ? "" : onClass.value()) + "/" + (onMethod == null ? "" : onMethod.value());
        String normalised = joined.replaceAll("/{2,}", "/");
        return normalised.length() > 1 && normalised.endsWith("/")
                ? normalised.substring(0, normalised.length() - 1) : normalised;
    }
}

package io.berth.common.problem;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A request too large for Berth gets a problem body like every other refusal. Vert.x itself would
 * answer a bare 413 or 414 before any of our code runs, so its own limits are set well above these
 * (quarkus.http.limits.*), and this first route of every router refuses what is over ours: a body
 * declared larger than berth.http.max-body-bytes, a request line longer than berth.http.max-uri-chars.
 */
@ApplicationScoped
public class RequestLimits {
    private final long maxBodyBytes;
    private final int maxUriChars;

    RequestLimits(@ConfigProperty(name = "berth.http.max-body-bytes", defaultValue = "1048576") long maxBodyBytes,
            @ConfigProperty(name = "berth.http.max-uri-chars", defaultValue = "8192") int maxUriChars) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxUriChars = maxUriChars;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (context.request().uri().length() > maxUriChars) {
                refuse(context, 414, "URI Too Long", "the request line is longer than " + maxUriChars + " characters");
            } else if (length != null && declaredLength(length) > maxBodyBytes) {
                refuse(context, 413, "Content Too Large", "the body is larger than " + maxBodyBytes + " bytes");
            } else {
                context.next();
            }
        });
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // not a length: refused as too large rather than trusted
        }
    }

    private static void refuse(io.vertx.ext.web.RoutingContext context, int status, String title, String detail) {
        Problem problem = Problem.of(status, title, detail).at(context.normalizedPath());
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Json.encode(problem));
    }
}

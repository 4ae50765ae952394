package io.berth.common.ratelimit;

import io.berth.common.auth.Caller;
import io.berth.common.problem.Problem;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Answers 429 with {@code Retry-After} (seconds) once a member's token has used its bucket. The
 * services' token is never limited (a service's burst is the platform working), nor is the
 * platform's bootstrap admin token, the operator's way in and the benchmarks' driver; users work
 * with member tokens.
 */
public class RateLimitFilter {
    private final RateLimiter limiter;
    private final SecurityIdentity identity;

    RateLimitFilter(RateLimiter limiter, SecurityIdentity identity) {
        this.limiter = limiter;
        this.identity = identity;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION + 500)
    public Optional<Response> limit(ContainerRequestContext request) {
        Optional<String> tokenId = Caller.of(identity).flatMap(Caller::tokenId);
        if (tokenId.isEmpty()) {
            return Optional.empty();
        }
        long wait = limiter.secondsToWait(tokenId.get());
        if (wait == 0) {
            return Optional.empty();
        }
        Problem problem = Problem.of(429, "Too Many Requests",
                "this token's rate limit is used up; retry in " + wait + " s").at(request.getUriInfo().getPath());
        return Optional.of(Response.status(429).header(HttpHeaders.RETRY_AFTER, wait).type(Problem.MEDIA_TYPE)
                .entity(problem).build());
    }
}

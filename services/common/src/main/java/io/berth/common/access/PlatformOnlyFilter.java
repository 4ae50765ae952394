package io.berth.common.access;

import io.berth.common.auth.Caller;
import io.berth.common.problem.Problem;
import io.berth.common.problem.ProblemException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses team members on {@link PlatformOnly} endpoints with a 403 problem, before the endpoint
 * runs (and so before any byte of a stream is written). Runs with {@link AppAccessFilter}, after
 * authentication and the rate limit.
 */
public class PlatformOnlyFilter {
    private final AppAccess access;
    private final Map<Method, Boolean> platformOnly = new ConcurrentHashMap<>();

    PlatformOnlyFilter(AppAccess access) {
        this.access = access;
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION - 1)
    public void check(ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null || !platformOnly.computeIfAbsent(method, PlatformOnlyFilter::marked)) {
            return;
        }
        Optional<Caller> caller = access.caller();
        if (caller.isEmpty() || caller.get() instanceof Caller.Member) {
            throw new ProblemException(Problem.of(403, "Forbidden",
                    "this endpoint is internal to the platform: only the platform admin and Berth's services call it"));
        }
    }

    private static boolean marked(Method method) {
        return method.isAnnotationPresent(PlatformOnly.class) || method.getDeclaringClass().isAnnotationPresent(PlatformOnly.class);
    }
}

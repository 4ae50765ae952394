package io.berth.common.access;

import io.berth.common.audit.AuditContext;
import io.berth.common.problem.ProblemException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Applies {@link AppAccess} to every resource method of every service that takes an app: the
 * {@code {app}} variable of its path, and its query parameter named {@code app}. A service gets
 * team scoping on such endpoints by naming the parameter {@code app}, nothing more. It runs after
 * authentication and the rate limit, before the endpoint.
 */
public class AppAccessFilter {
    static final String APP = "app";
    private static final Set<String> CHANGES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final AppAccess access;
    private final AuditContext audit;
    private final Map<Method, Boolean> takesAppQuery = new ConcurrentHashMap<>();

    AppAccessFilter(AppAccess access, AuditContext audit) {
        this.access = access;
        this.audit = audit;
    }

    public static boolean isChange(String method) {
        return CHANGES.contains(method);
    }

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null) {
            return;
        }
        boolean change = isChange(request.getMethod());
        for (String app : appsNamed(request, method)) {
            audit.about(app, access.teamOf(app).orElse(null));
            try {
                access.require(app, change);
            } catch (ProblemException denied) {
                if (denied.problem().status() == 404) {
                    audit.hidden();
                }
                throw denied;
            }
        }
    }

    private List<String> appsNamed(ContainerRequestContext request, Method method) {
        List<String> apps = new ArrayList<>();
        List<String> inPath = request.getUriInfo().getPathParameters().get(APP);
        if (inPath != null) {
            apps.addAll(inPath);
        }
        if (takesAppQuery.computeIfAbsent(method, AppAccessFilter::declaresAppQuery)) {
            List<String> inQuery = request.getUriInfo().getQueryParameters().get(APP);
            if (inQuery != null) {
                apps.addAll(inQuery);
            }
        }
        return apps;
    }

    private static boolean declaresAppQuery(Method method) {
        for (Parameter parameter : method.getParameters()) {
            QueryParam query = parameter.getAnnotation(QueryParam.class);
            RestQuery restQuery = parameter.getAnnotation(RestQuery.class);
            if (query != null && APP.equals(query.value())
                    || restQuery != null && APP.equals(restQuery.value().isEmpty() ? parameter.getName() : restQuery.value())) {
                return true;
            }
        }
        return false;
    }
}

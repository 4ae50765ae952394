package io.berth.registrar.api;

import io.berth.common.access.AppAccess;
import io.berth.registrar.Registrar;
import io.berth.registrar.consistency.ConsistencyReport;
import io.berth.registrar.registry.DesiredRegistrations;
import io.berth.registrar.registry.Registration;
import io.berth.registrar.runtime.RuntimeInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The registry as the registrar keeps it: which instances of each app are registered (what the
 * gateway controller reconciles HAProxy against) and whether the registry agrees with the runtime.
 * The app endpoints are scoped by common's AppAccessFilter (their {@code {app}}); the listing shows a
 * member only their teams' apps.
 */
@Path("/api/registry")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "registry")
public class RegistryResource {
    private final Registrar registrar;
    private final AppAccess access;

    RegistryResource(Registrar registrar, AppAccess access) {
        this.registrar = registrar;
        this.access = access;
    }

    /** One line per app: its instances, how many are ready, how many are registered. */
    public record AppSummary(String app, int instances, int ready, int registered) {
    }

    /**
     * An instance of an app: what the runtime says ({@code state}, absent as GONE when only the
     * registry still has it) and whether it is registered, overall and per backend.
     */
    public record InstanceRegistration(String instance, String app, int release, String team, String state,
            String host, int port, int weight, boolean registered, Map<String, Boolean> backends, String healthPath) {
    }

    /** The consistency report, and when the last periodic reconcile (which repairs) ran. */
    public record ConsistencyView(String app, java.time.Instant checkedAt, java.time.Instant lastReconcile, int total,
            int ready, int registered, int unhealthy, boolean consistent,
            List<io.berth.registrar.consistency.Mismatch> mismatches) {
        static ConsistencyView of(ConsistencyReport r, java.time.Instant lastReconcile) {
            return new ConsistencyView(r.app(), r.checkedAt(), lastReconcile, r.total(), r.ready(), r.registered(),
                    r.unhealthy(), r.consistent(), r.mismatches());
        }
    }

    @GET
    @Path("/apps")
    @Operation(summary = "Every app the runtime or the registry knows that the caller may see (a member: their "
            + "teams' apps), with instance, ready and registered counts")
    public List<AppSummary> apps() {
        List<AppSummary> apps = new ArrayList<>();
        for (String app : registrar.apps()) {
            if (!access.sees(app)) {
                continue;
            }
            List<RuntimeInstance> instances = registrar.instances(app);
            int ready = (int) instances.stream().filter(DesiredRegistrations::registrable).count();
            apps.add(new AppSummary(app, instances.size(), ready, registrar.registered(app).size()));
        }
        return apps;
    }

    @GET
    @Path("/apps/{app}/instances")
    @Operation(summary = "The app's instances with their state, address and registration (an unknown app has none)")
    public List<InstanceRegistration> instances(@RestPath String app) {
        Map<String, Registration> registered = registrar.registered(app);
        List<InstanceRegistration> result = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (RuntimeInstance i : registrar.instances(app)) {
            seen.add(i.id());
            Registration r = registered.getOrDefault(i.id(), DesiredRegistrations.registration(i));
            result.add(new InstanceRegistration(i.id(), app, i.release(), r.team(), i.state().name(), i.host(),
                    i.port(), r.weight(), registered.containsKey(i.id()), registrar.heldBy(r),
                    i.labels().get(RuntimeInstance.HEALTH_PATH_LABEL)));
        }
        registered.values().stream().filter(r -> !seen.contains(r.instance())).forEach(r -> result.add(
                new InstanceRegistration(r.instance(), app, r.release(), r.team(), "GONE", r.host(), r.port(),
                        r.weight(), true, registrar.heldBy(r), null)));
        result.sort(Comparator.comparing(InstanceRegistration::instance));
        return result;
    }

    @GET
    @Path("/apps/{app}/consistency")
    @Operation(summary = "Whether the registry agrees with the runtime for the app, every backend read now")
    public ConsistencyView consistency(@RestPath String app) {
        return ConsistencyView.of(registrar.check(app), registrar.lastReconcile().orElse(null));
    }
}

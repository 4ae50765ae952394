package io.berth.console.overview;

import io.berth.common.access.AppAccess;
import io.berth.common.access.TeamScope;
import io.berth.common.directory.AppOwners;
import io.berth.console.readmodel.ReadModels;
import io.berth.events.directory.AppOwner;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /api/console/overview}: every app the caller may see, in one answer, from memory
 * (decision 8), so the apps page is one request however many apps there are.
 */
@Path("/api/console/overview")
public class OverviewResource {
    /** Traffic on the apps page is the last 30 seconds: three steps. */
    static final int TRAFFIC_STEPS = 3;

    /**
     * @param dnsZone the registrar's zone (no trailing dot): an app is {@code <app>.<dnsZone>} in DNS
     */
    public record Overview(Instant generatedAt, String dnsZone, List<AppSummary> apps) {
    }

    private final ReadModels models;
    private final AppOwners owners;
    private final AppAccess access;
    private final String dnsZone;

    OverviewResource(ReadModels models, AppOwners owners, AppAccess access,
            @ConfigProperty(name = "berth.dns.zone", defaultValue = "berth.internal.") String dnsZone) {
        this.models = models;
        this.owners = owners;
        this.access = access;
        this.dnsZone = dnsZone.endsWith(".") ? dnsZone.substring(0, dnsZone.length() - 1) : dnsZone;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Every app the caller may see: status, releases, instances, traffic and the last deploy")
    public Overview overview() {
        Instant now = Instant.now();
        // the app-owner directory is compacted, so it names every app even when its deploy events have
        // aged out of berth.deployments; the deploy history names apps the directory has not yet heard of
        Map<String, String> teams = new HashMap<>();
        for (AppOwner owner : owners.all()) {
            teams.put(owner.app(), owner.team());
        }
        TreeSet<String> names = new TreeSet<>(teams.keySet());
        names.addAll(models.apps());
        // the caller's teams once, not per app: a member sees an app whose owner in the directory is one
        // of their teams (exactly AppAccess.sees); the platform admin and the services see every app
        TeamScope scope = access.visibleTeams();
        List<AppSummary> apps = new ArrayList<>();
        for (String app : names) {
            String owner = teams.get(app);
            if (!scope.everyTeam() && (owner == null || !scope.includes(owner))) {
                continue;
            }
            var history = models.history(app).orElse(null);
            String team = owner != null ? owner : history == null ? null : history.team();
            var traffic = models.metrics(app).map(series -> series.recentTraffic(now, TRAFFIC_STEPS)).orElse(null);
            apps.add(AppSummary.of(app, team, history, models.instanceCounts(app), traffic));
        }
        return new Overview(now, dnsZone, apps);
    }
}

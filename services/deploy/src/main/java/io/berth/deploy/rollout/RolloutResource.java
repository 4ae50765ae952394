package io.berth.deploy.rollout;

import io.berth.common.problem.ProblemException;
import io.berth.deploy.history.HistoryEntry;
import io.berth.deploy.runtime.AppRuntime;
import io.berth.deploy.runtime.RuntimeInstance;
import io.quarkus.panache.common.Page;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/apps/{app}")
public class RolloutResource {
    private final AppRuntime runtime;

    RolloutResource(AppRuntime runtime) {
        this.runtime = runtime;
    }

    @GET
    @Path("/rollouts")
    public Uni<List<RolloutView>> list(@RestPath String app, @RestQuery @DefaultValue("0") @Min(0) int page,
            @RestQuery @DefaultValue("50") @Min(1) @Max(500) int size) {
        return Rollout.<Rollout>find("app = ?1 order by startedAt desc", app).page(Page.of(page, size)).list()
                .map(list -> list.stream().map(RolloutView::of).toList());
    }

    /** The active rollout, or the last one when none is active. */
    @GET
    @Path("/rollouts/current")
    public Uni<RolloutView> current(@RestPath String app) {
        return Rollout.<Rollout>find("app = ?1 order by startedAt desc", app).firstResult()
                .onItem().ifNull().failWith(() -> ProblemException.notFound("app '" + app + "' has no rollout"))
                .map(RolloutView::of);
    }

    @GET
    @Path("/instances")
    public Uni<List<RuntimeInstance>> instances(@RestPath String app) {
        return runtime.instances(app);
    }

    public record HistoryView(long id, OffsetDateTime at, String kind, String summary, String actor) {
    }

    @GET
    @Path("/history")
    public Uni<List<HistoryView>> history(@RestPath String app, @RestQuery @DefaultValue("0") @Min(0) int page,
            @RestQuery @DefaultValue("100") @Min(1) @Max(500) int size) {
        return HistoryEntry.<HistoryEntry>find("app = ?1 order by id desc", app).page(Page.of(page, size)).list()
                .map(list -> list.stream().map(h -> new HistoryView(h.id, h.at, h.kind, h.summary, h.actor)).toList());
    }
}

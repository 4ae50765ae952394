package io.berth.deploy.rollout;

import io.berth.common.problem.ProblemException;
import io.berth.deploy.history.HistoryEntry;
import io.berth.deploy.runtime.AppRuntime;
import io.berth.deploy.runtime.RuntimeInstance;
import io.quarkus.panache.common.Page;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import org.jboss.resteasy.reactive.RestStreamElementType;
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
    private final Pool pool;

    private final String latestRollout;

    RolloutResource(AppRuntime runtime, Pool pool,
            @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema")
            String schema) {
        this.runtime = runtime;
        this.pool = pool;
        this.latestRollout = "SELECT id, kind, from_release, to_release, replicas, state, ready, reason, started_at, "
                + "finished_at, canary_weight FROM " + schema + ".rollout WHERE app = $1 ORDER BY started_at DESC LIMIT 1";
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

    /**
     * Server-Sent Events of the app's current rollout: its state now, then each change (state,
     * Ready count, reason), ending after it reaches COMPLETED, FAILED or ROLLED_BACK. Read from
     * PostgreSQL, so it follows whichever deploy service instance drives the rollout.
     */
    @GET
    @Path("/rollouts/current/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<RolloutView> events(@RestPath String app) {
        return Multi.createFrom().ticks().every(Duration.ofMillis(250))
                .onItem().transformToUniAndConcatenate(tick -> latest(app))
                .filter(java.util.Objects::nonNull)
                .skip().repetitions()
                .onItem().transformToMultiAndConcatenate(view -> view.state().active()
                        ? Multi.createFrom().item(view) : Multi.createFrom().items(view, END))
                .select().first(view -> view != END);
    }

    private static final RolloutView END = new RolloutView(null, null, null, null, 0, 0, null, 0, null, null, null, null);

    /** The newest rollout of the app, straight from the pool (ticks run outside any Hibernate session). */
    private Uni<RolloutView> latest(String app) {
        return pool.preparedQuery(latestRollout)
                .execute(Tuple.of(app))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row r = it.next();
                    return new RolloutView(r.getUUID("id"), app, r.getString("kind"), r.getInteger("from_release"),
                            r.getInteger("to_release"), r.getInteger("replicas"), RolloutState.valueOf(r.getString("state")),
                            r.getInteger("ready"), r.getString("reason"), r.getOffsetDateTime("started_at"),
                            r.getOffsetDateTime("finished_at"), r.getInteger("canary_weight"));
                });
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

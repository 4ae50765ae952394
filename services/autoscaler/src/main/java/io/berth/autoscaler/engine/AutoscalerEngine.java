package io.berth.autoscaler.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.autoscaler.decision.Decision;
import io.berth.autoscaler.metrics.MetricWindows;
import io.berth.autoscaler.policy.AutoscalingPolicy;
import io.berth.autoscaler.policy.StoredPolicy;
import io.berth.events.CloudEvent;
import io.berth.events.scaling.ScaleDecided;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Every {@code berth.autoscaler.interval}, for each app with a policy: reads the app's replicas
 * from the deploy service (so it always starts from the current state), its recent metrics from
 * the windows, evaluates the policy ({@link Recommender}, pure) and, when the target differs,
 * stores the decision, publishes ScaleDecided on berth.scaling (the deploy service applies it,
 * once per decision id) and marks it published. A decision stored but not published (a crash in
 * between) is published again at start with the same id, so a restart never doubles one.
 */
@ApplicationScoped
public class AutoscalerEngine {
    private static final Logger LOG = Logger.getLogger(AutoscalerEngine.class);
    static final String SOURCE = "/berth/autoscaler";

    private final MetricWindows windows;
    private final DeployClient deploy;
    private final KafkaLag lag;
    private final Clock clock;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final Map<String, List<Recommender.Recommendation>> history = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastDecision = new ConcurrentHashMap<>();
    private final Map<String, String> lastDryRun = new ConcurrentHashMap<>();
    private final Map<String, DeployClient.Resources> resources = new ConcurrentHashMap<>();
    private final AtomicBoolean republished = new AtomicBoolean();

    @Channel("scaling")
    MutinyEmitter<Record<String, CloudEvent>> scaling;

    AutoscalerEngine(MetricWindows windows, @RestClient DeployClient deploy, KafkaLag lag, Clock clock, ObjectMapper json,
            Vertx vertx) {
        this.windows = windows;
        this.deploy = deploy;
        this.lag = lag;
        this.clock = clock;
        this.json = json;
        this.vertx = vertx;
    }

    @Scheduled(every = "${berth.autoscaler.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        Uni<Void> first = republished.compareAndSet(false, true) ? republishUnpublished() : Uni.createFrom().voidItem();
        return first.chain(() -> Panache.withSession(() -> StoredPolicy.<StoredPolicy>listAll()))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(row -> evaluate(row.app, read(row.spec))
                        .onFailure().invoke(e -> LOG.warnf("autoscaling %s: %s", row.app, e.getMessage()))
                        .onFailure().recoverWithNull())
                .collect().last().replaceWithVoid();
    }

    Uni<Void> evaluate(String app, AutoscalingPolicy policy) {
        if (policy.singleton()) {
            return Uni.createFrom().voidItem();
        }
        return deploy.app(app)
                .onFailure(e -> e instanceof WebApplicationException w && w.getResponse().getStatus() == 404)
                .recoverWithNull()
                .chain(current -> current == null || current.targetRelease() == null ? Uni.createFrom().voidItem()
                        : resourcesOf(app, current.targetRelease())
                                .chain(res -> observe(app, policy, res))
                                .chain(observed -> decide(app, policy, current.replicas(), observed)));
    }

    private Uni<Void> decide(String app, AutoscalingPolicy policy, int current, Observations observed) {
        Instant now = clock.instant();
        Bounds bounds = Bounds.at(policy, now);
        List<Recommender.Recommendation> recent = history.computeIfAbsent(app, a -> {
            // after a start, a scale down waits for a whole window of evidence, as if the app had
            // been recommended its current count until now
            List<Recommender.Recommendation> seeded = new ArrayList<>();
            seeded.add(new Recommender.Recommendation(now, current));
            return seeded;
        });
        return lastDecisionOf(app).chain(last -> {
            Recommender.Evaluation evaluation;
            synchronized (recent) {
                evaluation = Recommender.evaluate(policy, current, observed, bounds, List.copyOf(recent), last, now);
                recent.add(new Recommender.Recommendation(now, evaluation.recommended()));
                int keep = Math.max(policy.behavior().scaleUpStabilizationSeconds(),
                        policy.behavior().scaleDownStabilizationSeconds());
                recent.removeIf(r -> r.at().isBefore(now.minusSeconds(keep)));
            }
            if (!evaluation.changes()) {
                return Uni.createFrom().voidItem();
            }
            if (policy.dryRun() && evaluation.reason().equals(lastDryRun.get(app))) {
                return Uni.createFrom().voidItem();
            }
            return record(app, evaluation, policy.dryRun(), now);
        });
    }

    private Uni<Void> record(String app, Recommender.Evaluation evaluation, boolean dryRun, Instant now) {
        Decision decision = new Decision();
        decision.id = UUID.randomUUID();
        decision.app = app;
        decision.decidedAt = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        decision.fromReplicas = evaluation.current();
        decision.toReplicas = evaluation.target();
        decision.reason = (dryRun ? "dry run: " : "") + evaluation.reason();
        decision.inputs = write(evaluation.inputs());
        decision.dryRun = dryRun;
        decision.published = false;
        if (dryRun) {
            lastDryRun.put(app, evaluation.reason());
        } else {
            lastDecision.put(app, now);
        }
        LOG.infof("%s: %s", app, decision.reason);
        Uni<Void> stored = Panache.withTransaction(decision::persist).replaceWithVoid();
        return dryRun ? stored : stored.chain(() -> publish(decision, evaluation.inputs()));
    }

    private Uni<Void> publish(Decision decision, Map<String, Object> inputs) {
        ScaleDecided event = new ScaleDecided(decision.app, decision.id.toString(), decision.fromReplicas,
                decision.toReplicas, decision.reason, inputs);
        return scaling.send(Record.of(decision.app, CloudEvent.of(SOURCE, event)))
                .chain(() -> Panache.withTransaction(() -> Decision.update("published = true where id = ?1", decision.id)))
                .replaceWithVoid();
    }

    /** Decisions a crash left stored but unpublished: published again under the same id (applied once). */
    private Uni<Void> republishUnpublished() {
        return Panache.withSession(() -> Decision.<Decision>list("published = false and dryRun = false order by decidedAt"))
                .onItem().transformToMulti(list -> Multi.createFrom().iterable(list))
                .onItem().transformToUniAndConcatenate(d -> {
                    LOG.infof("publishing decision %s for %s again after a restart", d.id, d.app);
                    return publish(d, read(d.inputs, Map.class));
                })
                .collect().last().replaceWithVoid();
    }

    private Uni<Instant> lastDecisionOf(String app) {
        Instant known = lastDecision.get(app);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return Panache.withSession(() -> Decision.<Decision>find("app = ?1 and dryRun = false order by decidedAt desc", app)
                .firstResult())
                .map(d -> d == null ? null : d.decidedAt.toInstant())
                .invoke(at -> {
                    if (at != null) {
                        lastDecision.putIfAbsent(app, at);
                    }
                });
    }

    private Uni<DeployClient.Resources> resourcesOf(String app, int release) {
        String key = app + "/" + release;
        DeployClient.Resources known = resources.get(key);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return deploy.release(app, release)
                .map(r -> r.spec() == null || r.spec().resources() == null ? new DeployClient.Resources(null, null)
                        : r.spec().resources())
                .invoke(r -> resources.put(key, r));
    }

    private Uni<Observations> observe(String app, AutoscalingPolicy policy, DeployClient.Resources res) {
        Observations fromWindows = windows.observe(app, clock.instant(), res.cpuMillis(), res.memoryMiB());
        var lagTarget = policy.metrics().stream().filter(m -> m.metric() == AutoscalingPolicy.Metric.kafkaLag).findFirst();
        if (lagTarget.isEmpty()) {
            return Uni.createFrom().item(fromWindows);
        }
        return vertx.executeBlocking(Uni.createFrom().item(() -> lag.of(lagTarget.get().group(), lagTarget.get().topic())), false)
                .map(total -> {
                    Map<AutoscalingPolicy.Metric, Observations.Observed> values = new EnumMap<>(AutoscalingPolicy.Metric.class);
                    values.putAll(fromWindows.values());
                    // lag is the whole backlog: one instance per `target` messages of it
                    total.ifPresent(t -> values.put(AutoscalingPolicy.Metric.kafkaLag, new Observations.Observed(t, 1, true)));
                    return Observations.of(values);
                });
    }

    private AutoscalingPolicy read(String spec) {
        return read(spec, AutoscalingPolicy.class);
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored " + type.getSimpleName(), e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

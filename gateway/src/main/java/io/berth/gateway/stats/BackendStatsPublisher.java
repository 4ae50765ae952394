package io.berth.gateway.stats;

import io.berth.events.CloudEvent;
import io.berth.events.metric.BackendStats;
import io.berth.gateway.haproxy.HaproxyRuntimeApi;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/** Every {@code berth.gateway.stats-interval}, one BackendStats per app backend on berth.metrics, keyed by app. */
@ApplicationScoped
public class BackendStatsPublisher {
    private static final Logger LOG = Logger.getLogger(BackendStatsPublisher.class);
    static final String SOURCE = "/berth/gateway";

    private final HaproxyRuntimeApi runtime;
    private final BackendStatsSampler sampler = new BackendStatsSampler();

    @Channel("metrics")
    MutinyEmitter<Record<String, CloudEvent>> emitter;

    BackendStatsPublisher(HaproxyRuntimeApi runtime) {
        this.runtime = runtime;
    }

    // delayed: the first sample waits until messaging has wired the emitter at start
    @Scheduled(every = "${berth.gateway.stats-interval}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publish() {
        String stat;
        try {
            stat = runtime.execute("show stat");
        } catch (IOException e) {
            LOG.debugf("no stats this time: %s", e.getMessage());
            return;
        }
        for (BackendStats stats : sampler.sample(stat, System.nanoTime())) {
            emitter.send(Record.of(stats.app(), CloudEvent.of(SOURCE, stats))).subscribe().with(
                    ok -> { },
                    e -> LOG.warnf("could not publish BackendStats of %s: %s", stats.app(), e.getMessage()));
        }
    }
}

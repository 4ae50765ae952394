package io.berth.logindexer.pipeline;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live while the indexing thread runs (it survives Kafka and Elasticsearch outages by design). */
@Liveness
@ApplicationScoped
public class IndexerLoopHealthCheck implements HealthCheck {
    private final IndexerLoop loop;
    private final IndexerMetrics metrics;

    IndexerLoopHealthCheck(IndexerLoop loop, IndexerMetrics metrics) {
        this.loop = loop;
        this.metrics = metrics;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("log indexer loop").status(loop.alive())
                .withData("pausedForElasticsearch", metrics.paused.get() == 1)
                .withData("lag", metrics.lag.get())
                .build();
    }
}

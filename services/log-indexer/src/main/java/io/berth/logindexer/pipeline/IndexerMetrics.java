package io.berth.logindexer.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;

/** The indexer's meters, exposed at /q/metrics as berth_logs_*. A singleton (no client proxy): its fields are read directly. */
@Singleton
public class IndexerMetrics {
    final Counter indexed;
    final Counter deadLettered;
    final Counter itemRetries;
    final Counter bulkFailures;
    final Counter commitFailures;
    final Timer bulkLatency;
    final AtomicLong lag = new AtomicLong();
    final AtomicLong paused = new AtomicLong();

    IndexerMetrics(MeterRegistry registry) {
        indexed = Counter.builder("berth.logs.indexed").description("log documents written to Elasticsearch").register(registry);
        deadLettered = Counter.builder("berth.logs.deadlettered").description("records sent to the dead-letter index").register(registry);
        itemRetries = Counter.builder("berth.logs.retries").tag("kind", "item")
                .description("bulk items retried after a 429 or 5xx").register(registry);
        bulkFailures = Counter.builder("berth.logs.retries").tag("kind", "bulk")
                .description("whole bulks retried because Elasticsearch was unavailable").register(registry);
        commitFailures = Counter.builder("berth.logs.commit.failures").description("offset commits that failed (the batch is redelivered and overwrites)").register(registry);
        bulkLatency = Timer.builder("berth.logs.bulk").description("latency of one bulk request").publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("berth.logs.consumer.lag", lag, AtomicLong::get).description("records not yet consumed, summed over assigned partitions").register(registry);
        Gauge.builder("berth.logs.paused", paused, AtomicLong::get).description("1 while consumption is paused because Elasticsearch fails").register(registry);
    }

    public double indexedCount() {
        return indexed.count();
    }
}

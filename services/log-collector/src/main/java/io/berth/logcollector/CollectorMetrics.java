package io.berth.logcollector;

import io.berth.logcollector.tail.TailedFile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The collector's meters (Prometheus names at /q/metrics): {@code berth_logcollector_lines_read_total},
 * {@code _lines_sent_total} (acknowledged by Kafka), {@code _bytes_read_total}, {@code _send_errors_total},
 * {@code _lines_truncated_total}, {@code _files_tailed}, {@code _in_flight_bytes}, and per file
 * {@code berth_logcollector_lag_bytes{app,instance,file}}: bytes written but not yet acknowledged.
 */
public final class CollectorMetrics {
    private final MeterRegistry registry;
    final Counter linesRead;
    final Counter linesSent;
    final Counter bytesRead;
    final Counter sendErrors;
    final Counter truncated;
    private final Map<TailedFile, Gauge> lagGauges = new ConcurrentHashMap<>();

    public CollectorMetrics(MeterRegistry registry, Supplier<Number> filesTailed, Supplier<Number> inFlightBytes) {
        this.registry = registry;
        linesRead = registry.counter("berth.logcollector.lines.read");
        linesSent = registry.counter("berth.logcollector.lines.sent");
        bytesRead = registry.counter("berth.logcollector.bytes.read");
        sendErrors = registry.counter("berth.logcollector.send.errors");
        truncated = registry.counter("berth.logcollector.lines.truncated");
        Gauge.builder("berth.logcollector.files.tailed", filesTailed).register(registry);
        Gauge.builder("berth.logcollector.in.flight.bytes", inFlightBytes).register(registry);
    }

    public void opened(TailedFile file) {
        lagGauges.computeIfAbsent(file, f -> Gauge.builder("berth.logcollector.lag.bytes", f, TailedFile::lag)
                .tags(Tags.of("app", f.instance().app(), "instance", f.instance().instance(),
                        "file", f.key().toString()))
                .register(registry));
    }

    public void closed(TailedFile file) {
        Gauge gauge = lagGauges.remove(file);
        if (gauge != null) {
            registry.remove(gauge);
        }
    }
}

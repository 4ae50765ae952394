package io.berth.registrar;

import io.berth.registrar.consistency.ConsistencyReport;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.function.ToIntFunction;

/**
 * The consistency monitor as Prometheus metrics, per app as of the last reconcile: instances,
 * ready, unhealthy, registered (after its repair) and the mismatches it found (and repaired);
 * plus how fast and how often the registry changes.
 */
@ApplicationScoped
public class RegistrarMetrics {
    private final MultiGauge total;
    private final MultiGauge ready;
    private final MultiGauge registered;
    private final MultiGauge unhealthy;
    private final MultiGauge mismatches;
    private final Counter registrations;
    private final Counter deregistrations;
    private final Counter repairs;
    private final Timer propagation;

    RegistrarMetrics(MeterRegistry registry) {
        total = gauge(registry, "berth.registrar.app.instances", "instances the runtime has");
        ready = gauge(registry, "berth.registrar.app.ready", "instances that are READY");
        registered = gauge(registry, "berth.registrar.app.registered", "ready instances every backend holds");
        unhealthy = gauge(registry, "berth.registrar.app.unhealthy", "instances that are UNREADY or FAILED");
        mismatches = gauge(registry, "berth.registrar.app.mismatches",
                "disagreements between runtime and registry the last reconcile found and repaired");
        registrations = Counter.builder("berth.registrar.registrations").description("InstanceRegistered published")
                .register(registry);
        deregistrations = Counter.builder("berth.registrar.deregistrations")
                .description("InstanceDeregistered published").register(registry);
        repairs = Counter.builder("berth.registrar.repairs")
                .description("apps whose registry a reconcile found wrong and rewrote").register(registry);
        propagation = Timer.builder("berth.registrar.propagation")
                .description("from a runtime change received to the registry written and the event sent")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    private static MultiGauge gauge(MeterRegistry registry, String name, String description) {
        return MultiGauge.builder(name).description(description).register(registry);
    }

    void reports(Collection<ConsistencyReport> reports) {
        set(total, reports, ConsistencyReport::total);
        set(ready, reports, ConsistencyReport::ready);
        set(registered, reports, ConsistencyReport::registered);
        set(unhealthy, reports, ConsistencyReport::unhealthy);
        set(mismatches, reports, r -> r.mismatches().size());
    }

    private static void set(MultiGauge gauge, Collection<ConsistencyReport> reports, ToIntFunction<ConsistencyReport> value) {
        gauge.register(reports.stream()
                .map(r -> MultiGauge.Row.of(Tags.of("app", r.app()), value.applyAsInt(r)))
                .toList(), true);
    }

    void registered() {
        registrations.increment();
    }

    void deregistered() {
        deregistrations.increment();
    }

    void repaired() {
        repairs.increment();
    }

    void propagated(Duration took) {
        propagation.record(took);
    }
}

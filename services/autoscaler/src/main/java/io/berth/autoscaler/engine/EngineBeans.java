package io.berth.autoscaler.engine;

import io.berth.autoscaler.metrics.MetricWindows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The autoscaler's clock (tests put their own in its place) and its metric windows. */
@ApplicationScoped
public class EngineBeans {

    @Produces
    @Singleton
    @io.quarkus.arc.DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    MetricWindows windows(@ConfigProperty(name = "berth.autoscaler.metric-window") Duration window) {
        return new MetricWindows(window);
    }
}

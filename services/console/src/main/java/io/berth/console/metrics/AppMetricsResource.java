package io.berth.console.metrics;

import io.berth.common.problem.ProblemException;
import io.berth.console.readmodel.MetricPoint;
import io.berth.console.readmodel.MetricSeries;
import io.berth.console.readmodel.ReadModels;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code GET /api/console/apps/{app}/metrics?minutes=N}: one app's chart data in 10-second steps,
 * oldest first, one point per step of the window (a step with no sample has null fields). Another
 * team's app is a 404, by common's filter on {@code {app}}, as everywhere.
 */
@Path("/api/console/apps/{app}/metrics")
public class AppMetricsResource {
    static final int DEFAULT_MINUTES = 30;
    static final int MAX_MINUTES = (int) MetricSeries.KEPT.toMinutes();

    public record AppMetrics(String app, long stepSeconds, List<MetricPoint> points) {
    }

    private final ReadModels models;
    private final KnownApps known;

    AppMetricsResource(ReadModels models, KnownApps known) {
        this.models = models;
        this.known = known;
    }

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Requests/s, latency, error rate, instances, CPU and memory of an app over the last minutes")
    public AppMetrics metrics(@RestPath String app, @RestQuery String minutes) {
        int window = minutes(minutes);
        known.require(app);
        List<MetricPoint> points = models.metrics(app)
                .map(series -> series.points(Instant.now(), window))
                .orElseGet(() -> new MetricSeries().points(Instant.now(), window));
        return new AppMetrics(app, MetricSeries.STEP.toSeconds(), points);
    }

    /** The window asked for: a whole number of minutes from 1 to 60, 30 when not given. */
    static int minutes(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_MINUTES;
        }
        try {
            int minutes = Integer.parseInt(value.trim());
            if (minutes >= 1 && minutes <= MAX_MINUTES) {
                return minutes;
            }
        } catch (NumberFormatException notANumber) {
            // answered below, as for one out of range
        }
        throw ProblemException.invalidField("minutes", "must be a whole number from 1 to " + MAX_MINUTES);
    }
}

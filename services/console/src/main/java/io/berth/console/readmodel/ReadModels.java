package io.berth.console.readmodel;

import io.berth.events.CloudEvent;
import io.berth.events.EventData;
import io.berth.events.deployment.AppDeleted;
import io.berth.events.instance.InstanceStateChanged;
import io.berth.events.metric.BackendStats;
import io.berth.events.metric.InstanceUsage;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's views of the platform, in memory (decision 8): each app's deploy history, its
 * instances and its metrics series, fed by {@link EventReader} from the four topics. One thread
 * writes, any number of requests read; every view is safe to read while it changes.
 */
@ApplicationScoped
public class ReadModels {
    private final Map<String, AppHistory> histories = new ConcurrentHashMap<>();
    private final Map<String, AppInstances> instances = new ConcurrentHashMap<>();
    private final Map<String, MetricSeries> metrics = new ConcurrentHashMap<>();
    private volatile boolean caughtUp;

    /** Applies one event of any of the four topics; an event of another kind is ignored. */
    public void apply(CloudEvent event) {
        EventData data = event.data();
        String app = data.app();
        if (data instanceof InstanceStateChanged change) {
            instancesOf(app).apply(change, event.time());
        } else if (data instanceof BackendStats stats) {
            series(app).add(stats, event.time());
        } else if (data instanceof InstanceUsage usage) {
            series(app).add(usage, event.time());
            instancesOf(app).apply(usage, event.time());
        } else {
            histories.compute(app, (a, before) -> AppHistory.apply(before, data, event.time()));
            if (data instanceof AppDeleted) {
                instances.remove(app);
                metrics.remove(app);
            }
        }
    }

    private AppInstances instancesOf(String app) {
        return instances.computeIfAbsent(app, a -> new AppInstances());
    }

    private MetricSeries series(String app) {
        return metrics.computeIfAbsent(app, a -> new MetricSeries());
    }

    /** Fills what the events no longer say of an app with deploy's answer ({@link AppHistory#fillIn}). */
    public void fillIn(String app, String team, Integer replicas, Integer currentRelease, Integer targetRelease) {
        histories.compute(app, (a, before) -> AppHistory.fillIn(before, app, team, replicas, currentRelease, targetRelease));
    }

    /** Forgets everything, before the topics are read again from their start. */
    public void clear() {
        caughtUp = false;
        histories.clear();
        instances.clear();
        metrics.clear();
    }

    void caughtUp(boolean reached) {
        caughtUp = reached;
    }

    /** Whether the reader has reached the ends the topics had when it started reading them. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    public Set<String> apps() {
        return histories.keySet();
    }

    public Optional<AppHistory> history(String app) {
        return Optional.ofNullable(histories.get(app));
    }

    public AppInstances.Counts instanceCounts(String app) {
        AppInstances known = instances.get(app);
        return known == null ? AppInstances.Counts.NONE : known.counts();
    }

    public List<AppInstances.Instance> instances(String app) {
        AppInstances known = instances.get(app);
        return known == null ? List.of() : known.list();
    }

    public Optional<MetricSeries> metrics(String app) {
        return Optional.ofNullable(metrics.get(app));
    }
}

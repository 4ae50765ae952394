package io.berth.logcollector.topic;

import org.jboss.logging.Logger;

/**
 * What happens to an app's log topic over the app's life. Created (idempotently) with the
 * configured partitions and retention when the app is created, or when its first log file shows
 * up. When the app is deleted its topic is kept for {@code berth.logs.keep-after-delete} (its
 * retention lowered to that, so the indexer can finish and nothing old lingers), then deleted.
 * An app created again under the same name before then keeps its topic at full retention.
 */
public final class AppTopicPolicy {
    private static final Logger LOG = Logger.getLogger(AppTopicPolicy.class);

    private final LogTopics topics;
    private final TopicDeletions deletions;
    private final LogTopicsConfig config;

    public AppTopicPolicy(LogTopics topics, TopicDeletions deletions, LogTopicsConfig config) {
        this.topics = topics;
        this.deletions = deletions;
        this.config = config;
    }

    public void appCreated(String app) throws Exception {
        if (!config.managedApps().matcher(app).matches()) {
            return;
        }
        boolean wasDeleted = deletions.cancel(app);
        if (!topics.ensure(app)) {
            throw new IllegalStateException("cannot create the log topic of " + app + " now");
        }
        if (wasDeleted) {
            topics.setRetention(app, config.retention().toMillis());
            LOG.infof("%s is back: its log topic is kept at full retention", app);
        }
    }

    public void appDeleted(String app) throws Exception {
        if (!config.managedApps().matcher(app).matches()) {
            return;
        }
        long keep = config.keepAfterDelete().toMillis();
        topics.forget(app);
        if (topics.exists(app)) {
            topics.setRetention(app, Math.max(keep, 1));
        }
        deletions.schedule(app, System.currentTimeMillis() + keep);
        LOG.infof("%s deleted: its log topic goes in %s", app, config.keepAfterDelete());
    }

    /** Deletes the topics whose time has come. */
    public void sweep() {
        for (String app : deletions.dueAt(System.currentTimeMillis())) {
            try {
                topics.delete(app);
                deletions.done(app);
            } catch (Exception e) {
                LOG.warnf("cannot delete the log topic of %s yet: %s", app, e.getMessage());
            }
        }
    }
}

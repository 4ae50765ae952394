package io.berth.logcollector.topic;

import io.berth.events.Topics;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

/**
 * Creates and retires the per-app topics {@code berth.logs.<app>} through the Kafka admin API.
 * Creating is idempotent (an existing topic is fine) and remembered, so the collector asks the
 * broker once per app, not once per file.
 */
public class LogTopics implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogTopics.class);
    private static final long TIMEOUT_SECONDS = 10;

    private final Admin admin;
    private final LogTopicsConfig config;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final Set<String> creating = ConcurrentHashMap.newKeySet();

    public LogTopics(Admin admin, LogTopicsConfig config) {
        this.admin = admin;
        this.config = config;
    }

    /**
     * For the tailer, which must never wait on the broker: true once the app's topic is known to
     * exist; otherwise starts creating it in the background and answers false (ask again later).
     */
    public boolean ready(String app) {
        String topic = Topics.logs(app);
        if (known.contains(topic)) {
            return true;
        }
        if (creating.add(topic)) {
            admin.createTopics(List.of(newTopic(topic))).all().whenComplete((done, error) -> {
                Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                if (error == null || cause instanceof TopicExistsException) {
                    known.add(topic);
                    if (error == null) {
                        LOG.infof("created %s (%d partitions, retention %s)", topic, config.partitions(), config.retention());
                    }
                } else {
                    LOG.warnf("cannot create %s yet: %s", topic, cause.getMessage());
                }
                creating.remove(topic);
            });
        }
        return false;
    }

    private NewTopic newTopic(String topic) {
        return new NewTopic(topic, Optional.of(config.partitions()), Optional.empty())
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(config.retention().toMillis())));
    }

    /** Makes sure the app's topic exists, waiting for the broker; false when it could not be asked. */
    public boolean ensure(String app) {
        String topic = Topics.logs(app);
        if (known.contains(topic)) {
            return true;
        }
        try {
            admin.createTopics(List.of(newTopic(topic))).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.infof("created %s (%d partitions, retention %s)", topic, config.partitions(), config.retention());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                LOG.warnf("cannot create %s: %s", topic, e.getCause().getMessage());
                return false;
            }
        } catch (TimeoutException e) {
            LOG.warnf("cannot create %s: Kafka did not answer in %d s", topic, TIMEOUT_SECONDS);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        known.add(topic);
        return true;
    }

    /** Sets the topic's retention (e.g. shorter once its app is deleted, back on re-creation). */
    public void setRetention(String app, long retentionMs) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.logs(app));
        AlterConfigOp op = new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(retentionMs)), AlterConfigOp.OpType.SET);
        try {
            admin.incrementalAlterConfigs(Map.of(resource, List.<AlterConfigOp>of(op))).all()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
        }
    }

    /** Deletes the app's topic; a topic that is already gone is fine. */
    public void delete(String app) throws Exception {
        String topic = Topics.logs(app);
        known.remove(topic);
        try {
            admin.deleteTopics(List.of(topic)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.infof("deleted %s", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                throw e;
            }
        }
    }

    /** The broker's retention.ms of the given apps' topics (for tests and the README's claims). */
    public Map<String, String> retention(Collection<String> apps) throws Exception {
        var resources = apps.stream().map(a -> new ConfigResource(ConfigResource.Type.TOPIC, Topics.logs(a))).toList();
        var configs = admin.describeConfigs(resources).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<String, String> out = new java.util.HashMap<>();
        configs.forEach((r, c) -> out.put(r.name(), c.get(TopicConfig.RETENTION_MS_CONFIG).value()));
        return out;
    }

    public int partitions(String app) throws Exception {
        String topic = Topics.logs(app);
        return admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .get(topic).partitions().size();
    }

    public boolean exists(String app) throws Exception {
        return admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).contains(Topics.logs(app));
    }

    public void forget(String app) {
        known.remove(Topics.logs(app));
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}

package io.berth.logindexer.retention;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.berth.logindexer.LogsConfig;
import io.berth.logindexer.document.IndexNames;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Deletes whole daily indices past {@code berth.logs.retention-days}. With one index per app and
 * day, retention is a delete of named indices: exact, instant, and free of ILM's rollover
 * machinery (which suits a write alias, not indices whose day is in their name). Deleting by
 * name also runs the same way on every Elasticsearch distribution, ILM or not.
 */
@ApplicationScoped
public class RetentionJob {
    private static final Logger LOG = Logger.getLogger(RetentionJob.class);
    private final ElasticsearchClient client;
    private final LogsConfig config;
    private final IndexNames names;

    RetentionJob(ElasticsearchClient client, LogsConfig config) {
        this.client = client;
        this.config = config;
        this.names = new IndexNames(config.indexPrefix());
    }

    @Scheduled(every = "${berth.logs.retention-interval:1h}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run(LocalDate.now(Clock.systemUTC()));
        } catch (Exception e) {
            LOG.warnf("retention run failed, next one in %s: %s", config.retentionInterval(), e.toString());
        }
    }

    /** Deletes what is past retention on {@code today}; returns the deleted indices. */
    public List<String> run(LocalDate today) throws java.io.IOException {
        var indices = client.indices().get(g -> g.index(names.allLogs()).ignoreUnavailable(true).allowNoIndices(true))
                .result().keySet();
        List<String> expired = Retention.expired(indices, names, today, config.retentionDays());
        // in small groups: one URL holds a limited number of names
        for (int i = 0; i < expired.size(); i += 50) {
            List<String> group = expired.subList(i, Math.min(expired.size(), i + 50));
            client.indices().delete(d -> d.index(group));
            LOG.infof("retention (%d days): deleted %s", config.retentionDays(), group);
        }
        return expired;
    }
}

package io.berth.logcollector;

import io.berth.logcollector.checkpoint.Checkpoint;
import io.berth.logcollector.checkpoint.CheckpointStore;
import io.berth.logcollector.ship.KafkaShipper;
import io.berth.logcollector.ship.LogProducer;
import io.berth.logcollector.source.AgentLayout;
import io.berth.logcollector.source.KubernetesLayout;
import io.berth.logcollector.source.LogLayout;
import io.berth.logcollector.tail.TailedFile;
import io.berth.logcollector.tail.Tailer;
import io.berth.logcollector.topic.AppTopicPolicy;
import io.berth.logcollector.topic.LogTopics;
import io.berth.logcollector.topic.LogTopicsConfig;
import io.berth.logcollector.topic.TopicDeletions;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Wires the collector together and runs it: the tailer thread, the producer, the checkpoint
 * writer (every {@code checkpoint-interval} and at shutdown, after the producer has drained) and
 * the sweep of app topics due for deletion.
 */
@Startup
@ApplicationScoped
public class LogCollector {
    private static final Logger LOG = Logger.getLogger(LogCollector.class);

    private final CollectorConfig config;
    private final LogTopicsConfig topicsConfig;
    private final MeterRegistry registry;
    private final String bootstrapServers;

    private CheckpointStore checkpoints;
    private List<Checkpoint> lastSaved = List.of();
    private LogTopics topics;
    private AppTopicPolicy topicPolicy;
    private LogProducer producer;
    private KafkaShipper shipper;
    private Tailer tailer;
    private ScheduledExecutorService scheduler;

    LogCollector(CollectorConfig config, LogTopicsConfig topicsConfig, MeterRegistry registry,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.topicsConfig = topicsConfig;
        this.registry = registry;
        this.bootstrapServers = bootstrapServers;
    }

    @PostConstruct
    void start() {
        try {
            Files.createDirectories(config.stateDir());
            Files.createDirectories(config.logDir());
        } catch (IOException e) {
            // readiness says so; the tailer waits for the directory
            LOG.warnf("cannot create %s or %s: %s", config.stateDir(), config.logDir(), e.getMessage());
        }
        checkpoints = new CheckpointStore(config.stateDir());
        List<Checkpoint> stored;
        boolean firstRun;
        try {
            var loaded = checkpoints.load();
            firstRun = loaded.isEmpty();
            stored = loaded.orElse(List.of());
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable checkpoint file " + checkpoints.file(), e);
        }
        topics = new LogTopics(Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "berth-log-collector-admin")), topicsConfig);
        topicPolicy = new AppTopicPolicy(topics, new TopicDeletions(config.stateDir()), topicsConfig);
        long maxInFlight = config.maxInFlightBytes();
        producer = new LogProducer(bootstrapServers, config.producer(), Math.max(64L << 20, 2 * maxInFlight));
        CollectorMetrics[] metrics = new CollectorMetrics[1];
        shipper = new KafkaShipper(producer, config.topicPrefix(), maxInFlight, new KafkaShipper.Counters() {
            @Override
            public void read(long lines, long bytes, boolean truncated) {
                metrics[0].linesRead.increment(lines);
                metrics[0].bytesRead.increment(bytes);
                if (truncated) {
                    metrics[0].truncated.increment();
                }
            }

            @Override
            public void sent() {
                metrics[0].linesSent.increment();
            }

            @Override
            public void failed() {
                metrics[0].sendErrors.increment();
            }
        });
        LogLayout layout = switch (config.layout()) {
            case "agent" -> new AgentLayout(config.instancesDir());
            case "kubernetes" -> new KubernetesLayout();
            default -> throw new IllegalArgumentException(
                    "berth.log-collector.layout must be agent or kubernetes, not " + config.layout());
        };
        tailer = new Tailer(config.logDir(), layout, shipper, topics::ready, new Tailer.Listener() {
            @Override
            public void opened(TailedFile file) {
                metrics[0].opened(file);
            }

            @Override
            public void closed(TailedFile file) {
                metrics[0].closed(file);
            }
        }, config.maxLineBytes(), config.rescanInterval(), config.pollInterval(), config.forgetAfter(), stored,
                firstRun && "end".equals(config.startAt()));
        metrics[0] = new CollectorMetrics(registry, () -> tailer.files().size(), shipper::inFlightBytes);
        lastSaved = stored;
        tailer.start();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "berth-log-checkpoints");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(10, config.checkpointInterval().toMillis());
        scheduler.scheduleWithFixedDelay(this::saveCheckpoints, every, every, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(topicPolicy::sweep, 5, 60, TimeUnit.SECONDS);
        LOG.infof("tailing %s (%s layout) into berth.logs.<app>; checkpoints in %s", config.logDir(),
                config.layout(), checkpoints.file());
    }

    /** Writes the acknowledged positions, if they changed since the last write. */
    synchronized void saveCheckpoints() {
        try {
            List<Checkpoint> now = tailer.checkpoints();
            if (!now.equals(lastSaved)) {
                checkpoints.save(now);
                lastSaved = now;
            }
        } catch (IOException | RuntimeException e) {
            LOG.errorf("cannot write checkpoints to %s: %s", checkpoints.file(), e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
        try {
            tailer.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // waits (bounded) for the lines in flight, so their acknowledgements make the last checkpoint
        producer.close();
        saveCheckpoints();
        topics.close();
        LOG.infof("stopped; checkpoints written to %s", checkpoints.file());
    }

    public AppTopicPolicy topicPolicy() {
        return topicPolicy;
    }

    public LogTopics topics() {
        return topics;
    }

    public Tailer tailer() {
        return tailer;
    }

    public boolean tailing() {
        return tailer.running();
    }

    public CollectorConfig config() {
        return config;
    }
}

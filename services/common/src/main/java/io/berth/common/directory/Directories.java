package io.berth.common.directory;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the directories with the service and waits a little for them, so that a service that
 * starts normally answers its first member's call; a service whose Kafka is late starts anyway and
 * stays not ready ({@link DirectoriesReadiness}) until they are loaded.
 */
@ApplicationScoped
public class Directories {
    private static final Logger LOG = Logger.getLogger(Directories.class);

    private final DirectoryConfig config;
    private final String bootstrapServers;
    private final String clientId;
    private final List<CompactedTopicDirectory<?>> all;

    Directories(DirectoryConfig config, TokenDirectory tokens, AppOwners owners,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "quarkus.application.name", defaultValue = "berth") String application) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.clientId = application + "-directory";
        this.all = List.of(tokens, owners);
    }

    public boolean enabled() {
        return config.enabled();
    }

    public List<CompactedTopicDirectory<?>> all() {
        return all;
    }

    void start(@Observes StartupEvent started) throws InterruptedException {
        if (!config.enabled()) {
            LOG.info("directories off (berth.directory.enabled=false): only the admin and service tokens are accepted");
            return;
        }
        all.forEach(directory -> directory.start(config, bootstrapServers, clientId));
        long deadline = System.nanoTime() + config.startupWait().toNanos();
        for (CompactedTopicDirectory<?> directory : all) {
            if (!directory.awaitLoaded(java.time.Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                LOG.warnf("directory %s not loaded within %s; the service is not ready until it is", directory.topic(),
                        config.startupWait());
            }
        }
    }

    void stop(@Observes ShutdownEvent stopping) {
        all.forEach(CompactedTopicDirectory::stop);
    }
}

package io.berth.logcollector.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's layout: {@code <log-dir>/<app>/<instance>.log}, with the instance's team and release
 * in {@code <instances-dir>/<instance>/spec.json} (written by the agent before the instance starts,
 * and immutable, so it is read once and cached). Without a spec the path alone names app and
 * instance.
 */
public final class AgentLayout implements LogLayout {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path instancesDir;
    private final Map<String, InstanceInfo> specs = new ConcurrentHashMap<>();

    public AgentLayout(Path instancesDir) {
        this.instancesDir = instancesDir;
    }

    @Override
    public int depth() {
        return 2;
    }

    @Override
    public Optional<InstanceInfo> identify(Path logDir, Path file) {
        Path relative = logDir.relativize(file);
        String name = file.getFileName().toString();
        if (relative.getNameCount() != 2 || !name.endsWith(".log") || name.length() == 4) {
            return Optional.empty();
        }
        String app = relative.getName(0).toString();
        String instance = name.substring(0, name.length() - 4);
        if (!LogLayout.isTopicSafe(app)) {
            return Optional.empty();
        }
        InstanceInfo cached = specs.get(instance);
        if (cached != null) {
            return Optional.of(cached);
        }
        InstanceInfo info = readSpec(instance, app);
        if (info.team() != null) {
            // only a spec that was there is cached: a missing one may still appear
            specs.put(instance, info);
        }
        return Optional.of(info);
    }

    private InstanceInfo readSpec(String instance, String app) {
        Path spec = instancesDir.resolve(instance).resolve("spec.json");
        try {
            if (Files.isRegularFile(spec)) {
                JsonNode node = JSON.readTree(spec.toFile());
                String specApp = node.path("app").asText(app);
                String team = node.hasNonNull("team") ? node.get("team").asText()
                        : node.path("labels").path("berth.io/team").asText(null);
                int release = node.path("release").asInt(0);
                return new InstanceInfo(LogLayout.isTopicSafe(specApp) ? specApp : app, team, instance, release);
            }
        } catch (IOException | RuntimeException unreadable) {
            // a half-written or foreign spec: the path is enough
        }
        return new InstanceInfo(app, null, instance, 0);
    }

    /** Forgets the spec of an instance whose files are gone. */
    public void forget(String instance) {
        specs.remove(instance);
    }
}

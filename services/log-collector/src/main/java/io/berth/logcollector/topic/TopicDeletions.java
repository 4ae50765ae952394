package io.berth.logcollector.topic;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.logcollector.checkpoint.CheckpointStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The durable schedule of log topics to delete ({@code topic-deletions.json}: app to due time in
 * epoch milliseconds), so a topic whose app was deleted is still deleted when the collector
 * restarted in between.
 */
public final class TopicDeletions {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Map<String, Long> due = new TreeMap<>();

    public TopicDeletions(Path stateDir) {
        this.file = stateDir.resolve("topic-deletions.json");
        if (Files.exists(file)) {
            try {
                due.putAll(JSON.readValue(file.toFile(), new TypeReference<Map<String, Long>>() {
                }));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable " + file, e);
            }
        }
    }

    public synchronized void schedule(String app, long dueEpochMillis) {
        due.put(app, dueEpochMillis);
        save();
    }

    /** True when a deletion was pending (the app came back). */
    public synchronized boolean cancel(String app) {
        boolean was = due.remove(app) != null;
        if (was) {
            save();
        }
        return was;
    }

    public synchronized List<String> dueAt(long nowEpochMillis) {
        return due.entrySet().stream().filter(e -> e.getValue() <= nowEpochMillis).map(Map.Entry::getKey).toList();
    }

    public synchronized Map<String, Long> pending() {
        return Map.copyOf(due);
    }

    public synchronized void done(String app) {
        cancel(app);
    }

    private void save() {
        try {
            CheckpointStore.writeDurably(file, JSON.writeValueAsBytes(due));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}

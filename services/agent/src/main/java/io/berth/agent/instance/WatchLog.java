package io.berth.agent.instance;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Supplier;

/**
 * The ordered history of instance changes behind the watch stream. A client that lost its
 * connection resumes from the last version it saw; if that version has already left the bounded
 * history, it first gets a RESYNC with every current instance, as a Kubernetes client relists
 * after a 410 Gone.
 */
public final class WatchLog {
    public static final String RESYNC = "RESYNC";

    private final int capacity;
    private final Deque<InstanceChange> history = new ArrayDeque<>();
    private final Set<MultiEmitter<? super InstanceChange>> watchers = new CopyOnWriteArraySet<>();
    /** versions start at the agent's start time in microseconds, so they keep growing across restarts */
    private long version = System.currentTimeMillis() * 1000;

    public WatchLog(int capacity) {
        this.capacity = capacity;
    }

    synchronized long nextVersion() {
        return ++version;
    }

    public synchronized long currentVersion() {
        return version;
    }

    synchronized void record(InstanceChange change) {
        history.addLast(change);
        if (history.size() > capacity) {
            history.removeFirst();
        }
        watchers.forEach(w -> w.emit(change));
    }

    /**
     * Every change after {@code since}, then live ones. {@code snapshot} gives the current
     * instances for a RESYNC when {@code since} is older than the history (or absent). Replay and
     * registration happen under one lock, so no change falls between them.
     */
    public Multi<InstanceChange> since(Long since, Supplier<List<InstanceView>> snapshot) {
        return Multi.createFrom().emitter(emitter -> {
            synchronized (this) {
                long oldestKept = history.isEmpty() ? version : history.peekFirst().version() - 1;
                if (since == null || since < oldestKept || since > version) {
                    long at = version;
                    snapshot.get().forEach(view -> emitter.emit(new InstanceChange(RESYNC, at, view)));
                } else {
                    history.stream().filter(c -> c.version() > since).forEach(emitter::emit);
                }
                watchers.add(emitter);
            }
            emitter.onTermination(() -> watchers.remove(emitter));
        });
    }
}

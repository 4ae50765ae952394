package io.berth.logcollector.tail;

import io.berth.logcollector.checkpoint.Checkpoint;
import io.berth.logcollector.source.InstanceInfo;
import io.berth.logcollector.source.LogLayout;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The one thread that reads every log file: it discovers files (a full scan at start, on every
 * create/delete event of the file system and every {@code rescanInterval}), reads each open file
 * in turn, a bounded number of lines at a time so one busy file cannot starve the others, and
 * waits for a change event (or {@code pollInterval}) when nothing was new.
 *
 * <p>Files are known by device and inode. A path that now names another inode is a rotation: the
 * old file is read to its end and closed once idle and acknowledged; the new one is read from
 * its start. A file renamed to {@code <name>.log.<suffix>} (logrotate's .1, the kubelet's
 * timestamp) is only picked up when a checkpoint names it, i.e. it was rotated while the collector
 * was down.
 */
public final class Tailer implements Runnable {
    private static final Logger LOG = Logger.getLogger(Tailer.class);
    private static final int LINES_PER_TURN = 4096;
    private static final Pattern ROTATED = Pattern.compile("(.+\\.log)\\.[0-9][0-9A-Za-z:.-]*");

    /** Asked before a file of an app is opened; false leaves the file for the next scan. Must not block. */
    public interface TopicGate extends Predicate<String> {
    }

    /** Told when files open and close, for metrics. */
    public interface Listener {
        void opened(TailedFile file);

        void closed(TailedFile file);
    }

    private final Path logDir;
    private final LogLayout layout;
    private final LineSink sink;
    private final TopicGate topics;
    private final Listener listener;
    private final int maxLineBytes;
    private final long rescanNanos;
    private final long pollMillis;
    private final long forgetNanos;
    private final boolean startAtEnd;

    private final Map<FileKey, TailedFile> files = new ConcurrentHashMap<>();
    /** checkpoints of files not opened yet: kept (and written back) until opened or gone from disk */
    private final Map<FileKey, Checkpoint> resumePoints = new ConcurrentHashMap<>();
    private final Set<Path> watched = new HashSet<>();
    private WatchService watch;
    private volatile boolean running = true;
    private volatile Thread thread;
    private boolean rescanNow = true;
    private boolean firstScan = true;
    private long nextScan;

    public Tailer(Path logDir, LogLayout layout, LineSink sink, TopicGate topics, Listener listener, int maxLineBytes,
            Duration rescanInterval, Duration pollInterval, Duration forgetAfter, List<Checkpoint> checkpoints,
            boolean startAtEnd) {
        this.logDir = logDir;
        this.layout = layout;
        this.sink = sink;
        this.topics = topics;
        this.listener = listener;
        this.maxLineBytes = maxLineBytes;
        this.rescanNanos = rescanInterval.toNanos();
        this.pollMillis = Math.max(1, pollInterval.toMillis());
        this.forgetNanos = forgetAfter.toNanos();
        this.startAtEnd = startAtEnd;
        checkpoints.forEach(c -> resumePoints.put(new FileKey(c.dev(), c.ino()), c));
    }

    public void start() {
        Thread t = new Thread(this, "berth-log-tailer");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Stops reading; a line being shipped is abandoned (it is re-read after the restart). */
    public void stop() throws InterruptedException {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            t.join(10_000);
        }
        files.values().forEach(TailedFile::close);
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }

    public boolean running() {
        Thread t = thread;
        return running && t != null && t.isAlive();
    }

    public Map<FileKey, TailedFile> files() {
        return files;
    }

    /** What to write to the checkpoint file now: open files' acknowledged offsets and unopened resume points. */
    public List<Checkpoint> checkpoints() {
        List<Checkpoint> all = new ArrayList<>();
        files.values().forEach(f -> all.add(f.checkpoint()));
        resumePoints.forEach((key, c) -> {
            if (!files.containsKey(key)) {
                all.add(c);
            }
        });
        all.sort(java.util.Comparator.comparing(Checkpoint::path).thenComparing(Checkpoint::ino));
        return all;
    }

    @Override
    public void run() {
        try {
            watch = FileSystems.getDefault().newWatchService();
        } catch (IOException e) {
            LOG.warnf("no file system events (%s): rescanning every %s ms instead", e.getMessage(), pollMillis);
        }
        while (running) {
            try {
                if (rescanNow || System.nanoTime() - nextScan >= 0) {
                    scan();
                }
                int progress = 0;
                for (TailedFile file : files.values()) {
                    progress += pollOne(file);
                }
                if (progress == 0) {
                    waitForChange();
                }
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (RuntimeException | IOException e) {
                LOG.errorf(e, "tailer: %s", e.getMessage());
                sleepQuietly();
            }
        }
    }

    private int pollOne(TailedFile file) throws InterruptedException {
        try {
            int lines = file.poll(sink, LINES_PER_TURN);
            file.updateFingerprint();
            if (lines == 0 && file.finished(forgetNanos)) {
                LOG.debugf("done with %s (%s)", file.path(), file.key());
                files.remove(file.key());
                file.close();
                listener.closed(file);
            }
            return lines;
        } catch (IOException e) {
            LOG.warnf("cannot read %s: %s", file.path(), e.getMessage());
            file.markGone();
            return 0;
        }
    }

    private void waitForChange() throws InterruptedException {
        if (watch == null) {
            Thread.sleep(pollMillis);
            return;
        }
        WatchKey key = watch.poll(pollMillis, TimeUnit.MILLISECONDS);
        while (key != null) {
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() != StandardWatchEventKinds.ENTRY_MODIFY) {
                    rescanNow = true;
                }
            }
            if (!key.reset()) {
                watched.remove((Path) key.watchable());
            }
            key = watch.poll();
        }
    }

    /** Finds the log files on disk, opens new ones, notices moved and gone ones. */
    void scan() throws IOException {
        rescanNow = false;
        nextScan = System.nanoTime() + rescanNanos;
        if (!Files.isDirectory(logDir)) {
            return;
        }
        Set<FileKey> seen = new HashSet<>();
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(logDir, layout.depth())) {
            walk.forEach(p -> {
                if (Files.isDirectory(p)) {
                    watchDirectory(p);
                } else if (Files.isRegularFile(p)) {
                    candidates.add(p);
                }
            });
        } catch (java.io.UncheckedIOException raced) {
            // a directory vanished under the walk; the next scan sees the new state
            rescanNow = true;
        }
        Map<FileKey, Path> rotated = new HashMap<>();
        for (Path path : candidates) {
            FileKey key;
            try {
                key = FileKey.of(path);
            } catch (IOException gone) {
                continue;
            }
            var instance = layout.identify(logDir, path);
            if (instance.isEmpty()) {
                Matcher m = ROTATED.matcher(path.getFileName().toString());
                if (m.matches() && resumePoints.containsKey(key)) {
                    rotated.put(key, path);
                }
                continue;
            }
            seen.add(key);
            open(key, path, instance.get());
        }

        // rotated while we were down: finish them from their checkpoint, under the current name's identity
        rotated.forEach((key, path) -> {
            Matcher m = ROTATED.matcher(path.getFileName().toString());
            m.matches();
            layout.identify(logDir, path.resolveSibling(m.group(1))).ifPresent(info -> {
                seen.add(key);
                open(key, path, info);
            });
        });
        for (TailedFile file : files.values()) {
            if (!seen.contains(file.key())) {
                file.markGone();
            }
        }
        // resume points for files no longer on disk will never be used
        resumePoints.keySet().retainAll(seen);
        firstScan = false;
    }

    private void open(FileKey key, Path path, InstanceInfo instance) {
        TailedFile existing = files.get(key);
        if (existing != null) {
            if (!existing.path().equals(path)) {
                existing.movedTo(path);
            }
            return;
        }
        if (!topics.test(instance.app())) {
            // the topic is being created (or Kafka cannot be asked now): try again soon
            nextScan = Math.min(nextScan, System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
            return;
        }
        try {
            long start = startOffset(key, path);
            TailedFile file = new TailedFile(key, path, instance, start, maxLineBytes);
            files.put(key, file);
            resumePoints.remove(key);
            listener.opened(file);
            LOG.debugf("tailing %s (%s) from %d", path, key, start);
        } catch (IOException e) {
            LOG.debugf("cannot open %s: %s", path, e.getMessage());
        }
    }

    private long startOffset(FileKey key, Path path) throws IOException {
        Checkpoint checkpoint = resumePoints.get(key);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            if (checkpoint != null) {
                long[] print = TailedFile.fingerprintOf(channel, checkpoint.fingerprintLength());
                if (print[0] == checkpoint.fingerprintLength() && print[1] == checkpoint.fingerprint()) {
                    // a truncated file (size < offset) is noticed by the first poll
                    return checkpoint.offset();
                }
                LOG.infof("%s: inode %s was reused by another file: reading it from the start", path, key);
                return 0;
            }
            return firstScan && startAtEnd ? channel.size() : 0;
        }
    }

    private void watchDirectory(Path dir) {
        if (watch == null || watched.contains(dir)) {
            return;
        }
        try {
            dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
            watched.add(dir);
        } catch (IOException e) {
            LOG.debugf("cannot watch %s: %s", dir, e.getMessage());
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(pollMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

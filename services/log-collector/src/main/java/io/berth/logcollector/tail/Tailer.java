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
 * <p>Files are known by device and inode. A path that now names another inode is a rotation
 * (conmon: a new {@code <name>.log.tmp} renamed over the path, which unlinks the old file while
 * it is still open here): the old file is read to its end, then the new one from its start (see
 * {@link TailedFile#follow}); the old one is closed once idle and acknowledged. A file renamed to
 * {@code <name>.log.<suffix>} (logrotate's .1, the kubelet's timestamp) is only picked up when a
 * checkpoint names it, i.e. it was rotated while the collector was down; it is then finished
 * before the file now at its old name, the oldest first.
 */
public final class Tailer implements Runnable {
    private static final Logger LOG = Logger.getLogger(Tailer.class);
    private static final int LINES_PER_TURN = 4096;
    private static final Pattern ROTATED = Pattern.compile("(.+\\.log)\\.[0-9][0-9A-Za-z:.-]*");

    /** Asked before a file of an app is read; false leaves it unread (but open) for now. Must not block. */
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
    /** the file last opened at each log path: the one a new file at that path follows (tailer thread only) */
    private final Map<Path, TailedFile> heads = new HashMap<>();
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
                // predecessors first, so a rotation's new file can start in the same turn its old one ends
                for (TailedFile file : files.values()) {
                    if (!file.follows()) {
                        progress += pollOne(file);
                    }
                }
                for (TailedFile file : files.values()) {
                    if (file.follows()) {
                        progress += pollOne(file);
                    }
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
        if (!file.admitted()) {
            if (!topics.test(file.instance().app())) {
                // the topic is being created (or Kafka cannot be asked now): the file waits, open
                return 0;
            }
            // asked once per file, as before it was opened: a deleted app's last lines do not make its topic again
            file.admit();
        }
        try {
            int lines = file.poll(sink, LINES_PER_TURN);
            file.updateFingerprint();
            if (lines == 0 && file.finished(forgetNanos)) {
                int flushed = file.flushUnfinished(sink);
                if (flushed > 0) {
                    // closed once these are acknowledged too
                    return flushed;
                }
                LOG.debugf("done with %s (%s)", file.path(), file.key());
                files.remove(file.key());
                heads.values().remove(file);
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
        List<Found> rotated = new ArrayList<>();
        List<Found> current = new ArrayList<>();
        for (Path path : candidates) {
            FileKey key;
            long modified;
            try {
                key = FileKey.of(path);
                modified = Files.getLastModifiedTime(path).toMillis();
            } catch (IOException gone) {
                continue;
            }
            var instance = layout.identify(logDir, path);
            if (instance.isPresent()) {
                current.add(new Found(key, path, path, instance.get(), modified));
                continue;
            }
            Matcher m = ROTATED.matcher(path.getFileName().toString());
            if (m.matches() && resumePoints.containsKey(key)) {
                // rotated while we were down: finished from its checkpoint, under the current name's identity
                Path logPath = path.resolveSibling(m.group(1));
                layout.identify(logDir, logPath).ifPresent(info -> rotated.add(new Found(key, path, logPath, info,
                        modified)));
            }
        }
        // the oldest rotated file first and the file at the log path last: each follows the one before
        rotated.sort(java.util.Comparator.comparingLong(Found::modified));
        for (Found found : rotated) {
            seen.add(found.key());
            open(found, true);
        }
        for (Found found : current) {
            seen.add(found.key());
            open(found, false);
        }
        for (TailedFile file : files.values()) {
            if (!seen.contains(file.key())) {
                file.markGone();
            }
        }
        // resume points for files no longer on disk will never be used
        resumePoints.keySet().retainAll(seen);
        firstScan = false;
    }

    /** A log file found by a scan: {@code logPath} is where its instance's log is written ({@code path} itself unless rotated away). */
    private record Found(FileKey key, Path path, Path logPath, InstanceInfo instance, long modified) {
    }

    private void open(Found found, boolean rotatedAway) {
        FileKey key = found.key();
        Path path = found.path();
        TailedFile existing = files.get(key);
        if (existing != null) {
            if (!existing.path().equals(path)) {
                existing.movedTo(path);
            }
            return;
        }
        // opened at once even if the app's topic does not exist yet (it is read once it does): a file
        // that conmon rotates away meanwhile stays readable through this descriptor
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
            if (!FileKey.of(path).equals(key)) {
                // rotated again between the scan and the open: this channel is another file; look again
                channel.close();
                rescanNow = true;
                return;
            }
            long start = startOffset(key, path, channel);
            TailedFile file = new TailedFile(key, path, found.instance(), channel, start, maxLineBytes);
            TailedFile previous = heads.get(found.logPath());
            if (previous != null && files.containsKey(previous.key())) {
                // a rotated-away file found after the live one at its path (it could not be opened at
                // first) cannot be put before it any more: it is read alongside
                if (!rotatedAway || previous.gone()) {
                    file.follow(previous);
                    heads.put(found.logPath(), file);
                }
            } else {
                heads.put(found.logPath(), file);
            }
            if (rotatedAway) {
                // nothing writes to it any more: done once read to its end
                file.markGone();
            }
            files.put(key, file);
            resumePoints.remove(key);
            listener.opened(file);
            LOG.debugf("tailing %s (%s) from %d", path, key, start);
        } catch (IOException e) {
            LOG.debugf("cannot open %s: %s", path, e.getMessage());
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing a read-only channel
                }
            }
        }
    }

    private long startOffset(FileKey key, Path path, FileChannel channel) throws IOException {
        Checkpoint checkpoint = resumePoints.get(key);
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * bench/logs: the log pipeline, file to searchable. Run by bench/logs with Kafka's own lib dir
 * on the class path (kafka-clients, Jackson). Phases:
 *  1. "file": throughput for 100-byte and 1 KiB lines: once 100,000 warm-up lines have gone all the
 *     way (the indexer's consumers hold their partitions, both JVMs have compiled their hot paths, as
 *     in a platform that has been running), N lines in CRI files appear at once in the
 *     packaged collector's log directory and are timed until all N are searchable through the
 *     packaged indexer; the same documents are then bulk-loaded straight into Elasticsearch (same
 *     template, same batch size, 2 requests in flight) as the ceiling; the ratio is printed.
 *     "kafka" (not by default) times the indexer alone over a topic filled beforehand;
 *  2. end-to-end latency at a steady rate: each line's time is its send time; a poller notes
 *     when each line first shows in a search (every 100 ms): p50/p99/max;
 *  3. the one-minute window query on an app with 10 million lines (bulk-loaded directly by a
 *     generator into one daily index, reused when it is already complete), through the log API.
 */
public class LogsBench {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PREFIX = "berth-bench-logs";
    /** Not berth.logs.*: a platform indexer that runs beside the bench must not index its lines a second time. */
    static final String TOPICS = "bench.logs.";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String WORDS = "order cart payment user session checkout stock price invoice refund shipping token cache "
            + "request response timeout retry queue worker batch commit index search upstream latency";

    static String es = System.getenv().getOrDefault("BERTH_ELASTICSEARCH_URL", "http://127.0.0.1:9200");
    static String bootstrap = System.getenv().getOrDefault("BERTH_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    static String run = Long.toString(System.currentTimeMillis() / 1000 % 100000);
    static Path jar;
    static Path collectorJar;
    static Path logDir;
    static String token = UUID.randomUUID().toString();
    static long totalLost = 0;

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        jar = Path.of(opt.getOrDefault("jar", "services/log-indexer/target/quarkus-app/quarkus-run.jar"));
        collectorJar = Path.of(opt.getOrDefault("collector-jar", "services/log-collector/target/quarkus-app/quarkus-run.jar"));
        logDir = Files.createDirectories(Path.of(opt.getOrDefault("log-dir", "/tmp/berth-bench-logs")));
        int small = Integer.parseInt(opt.getOrDefault("lines-100", "500000"));
        int large = Integer.parseInt(opt.getOrDefault("lines-1k", "200000"));
        int rate = Integer.parseInt(opt.getOrDefault("rate", "1000"));
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "30"));
        long tenM = Long.parseLong(opt.getOrDefault("window-lines", "10000000"));
        String phases = opt.getOrDefault("phases", "file,latency,window");

        if (phases.contains("file")) {
            if (small > 0) {
                fileToSearchable(100, small);
            }
            if (large > 0) {
                fileToSearchable(1024, large);
            }
        }
        if (phases.contains("kafka")) {
            throughput(100, small);
            throughput(1024, large);
        }
        if (phases.contains("latency")) {
            latency(rate, seconds);
        }
        if (phases.contains("window")) {
            window(tenM);
        }
        System.out.println("lost " + totalLost);
    }

    // ---------------------------------------------------------------- file to searchable

    /**
     * The whole pipeline: N lines in CRI files of {@value #FILE_INSTANCES} instances (as the agent
     * writes them) appear at once in the packaged collector's log directory; the clock runs from
     * then until all N are searchable. Then the documents the indexer wrote for them are bulk-loaded
     * straight into Elasticsearch as the ceiling, and the ratio printed.
     */
    static void fileToSearchable(int bytes, int lines) throws Exception {
        String app = "lbench-file-" + bytes + "-" + run;
        String topic = TOPICS + app;
        createTopic(topic);
        Path work = Files.createDirectories(logDir.resolve("file-" + app));
        Path stage = Files.createDirectories(work.resolve("stage"));
        Path logs = Files.createDirectories(work.resolve("logs"));
        String[] instances = instancesSpreadOverPartitions(app, 3, FILE_INSTANCES);
        Instant base = Instant.now();
        long[] fileBytes = new long[instances.length];
        java.io.OutputStream[] out = new java.io.OutputStream[instances.length];
        for (int k = 0; k < instances.length; k++) {
            out[k] = new java.io.BufferedOutputStream(Files.newOutputStream(stage.resolve(instances[k] + ".log")), 1 << 20);
        }
        for (int i = 0; i < lines; i++) {
            byte[] line = (criTime(base.plusNanos(i * 1000L)) + " stdout F " + levelWord(i) + " " + message(i, bytes - 6) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            out[i % instances.length].write(line);
            fileBytes[i % instances.length] += line.length;
        }
        for (java.io.OutputStream o : out) {
            o.close();
        }
        String index = PREFIX + "-" + app + "-*";
        try (Indexer indexer = Indexer.start("bench\\.logs\\." + app, "berth-bench-" + app);
                Collector collector = Collector.start(work, logs)) {
            Files.createDirectories(logs.resolve(app));
            // a warm-up through the whole pipeline first, as in a platform that has been running: the indexer's
            // consumers have joined their group and hold the partitions, and both JVMs have compiled their hot paths
            StringBuilder warmUp = new StringBuilder();
            Instant warmUpTime = base.minusSeconds(60);
            for (int i = 0; i < WARM_UP_LINES; i++) {
                warmUp.append(criTime(warmUpTime.plusNanos(i * 1000L))).append(" stdout F INFO warm-up ").append(message(i, bytes - 20)).append('\n');
            }
            Files.writeString(logs.resolve(app).resolve(app + "-warmup.log"), warmUp);
            long primed = System.nanoTime();
            while (count(index) < WARM_UP_LINES && System.nanoTime() - primed < Duration.ofSeconds(120).toNanos()) {
                Thread.sleep(50);
            }
            Thread.sleep(1000);
            long start = System.nanoTime();
            Map<String, Duration> cpuBefore = cpu(indexer.process, collector.process);
            for (String instance : instances) {
                Files.move(stage.resolve(instance + ".log"), logs.resolve(app).resolve(instance + ".log"),
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            long count = 0;
            long deadline = start + Duration.ofMinutes(15).toNanos();
            while (count < lines && System.nanoTime() < deadline) {
                count = count(index) - WARM_UP_LINES;
                Thread.sleep(100);
            }
            double e2e = secs(start);
            Map<String, Duration> cpuAfter = cpu(indexer.process, collector.process);
            long lost = lines - count;
            totalLost += Math.max(0, lost);
            StringBuilder cpuUse = new StringBuilder();
            long indexed = count;
            cpuAfter.forEach((who, total) -> cpuUse.append(String.format("%s %.1f s (%.0f us a line), ", who,
                    (total.toMillis() - cpuBefore.getOrDefault(who, Duration.ZERO).toMillis()) / 1000.0,
                    (total.toNanos() - cpuBefore.getOrDefault(who, Duration.ZERO).toNanos()) / 1000.0 / Math.max(1, indexed))));
            System.out.printf("== %d-byte lines, file to searchable: %,d lines in %d files, %,d searchable in %.1f s = %,.0f lines/s (lost %d)%n",
                    bytes, lines, instances.length, count, e2e, count / e2e, lost);
            JsonNode sample = es("POST", "/" + index + "/_search?size=1", "{\"query\":{\"match_all\":{}}}").path("hits").path("hits").path(0);
            System.out.println("   indexer: " + indexer.bulkSummary());
            System.out.println("   CPU meanwhile (of " + String.format("%.0f", e2e * Runtime.getRuntime().availableProcessors())
                    + " core-seconds): " + cpuUse.substring(0, Math.max(0, cpuUse.length() - 2)));
            collector.close();
            indexer.close();
            double raw = rawBulkLike(sample, lines, base, bytes, instances);
            System.out.printf("   raw Elasticsearch bulk of the same documents: %,.0f lines/s; ratio %.2f%n", raw, count / e2e / raw);
        }
        es("DELETE", "/" + index, null);
        deleteTopic(topic);
    }

    static final int FILE_INSTANCES = 6;
    static final int WARM_UP_LINES = 100_000;

    /** CPU time so far of Elasticsearch, the broker (from their pid files), the indexer and the collector. */
    static Map<String, Duration> cpu(Process indexer, Process collector) {
        Map<String, Duration> out = new java.util.LinkedHashMap<>();
        Path run = Path.of(System.getenv().getOrDefault("BERTH_HOME", "/var/lib/berth"), "run");
        for (String component : List.of("elasticsearch", "kafka")) {
            try {
                long pid = Long.parseLong(Files.readString(run.resolve(component).resolve("pid")).trim());
                ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).ifPresent(d -> out.put(component, d));
            } catch (IOException | NumberFormatException e) {
                // not ours to measure (a remote component): left out
            }
        }
        collector.info().totalCpuDuration().ifPresent(d -> out.put("collector", d));
        indexer.info().totalCpuDuration().ifPresent(d -> out.put("indexer", d));
        return out;
    }

    /** Instance names whose keys land evenly on the topic's partitions, as a real app's replicas roughly do. */
    static String[] instancesSpreadOverPartitions(String app, int partitions, int count) {
        List<String> chosen = new ArrayList<>();
        int[] per = new int[partitions];
        for (int i = 0; chosen.size() < count; i++) {
            String name = app + "-" + i;
            int p = org.apache.kafka.common.utils.Utils.toPositive(
                    org.apache.kafka.common.utils.Utils.murmur2(name.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (per[p] < (count + partitions - 1) / partitions) {
                per[p]++;
                chosen.add(name);
            }
        }
        return chosen.toArray(String[]::new);
    }

    static String criTime(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC).format(t);
    }

    static String levelWord(int seq) {
        return seq % 50 == 0 ? "ERROR" : seq % 10 == 0 ? "WARN " : "INFO ";
    }

    /** The documents the indexer wrote, generated in the same shape (fields and id form of a collected line). */
    static double rawBulkLike(JsonNode sample, int lines, Instant base, int bytes, String[] instances) throws Exception {
        String app = "lbenchraw-" + bytes + "-" + run;
        String index = PREFIX + "-" + app + "-" + day(base);
        com.fasterxml.jackson.databind.node.ObjectNode shape = sample.path("_source").isObject()
                ? (com.fasterxml.jackson.databind.node.ObjectNode) sample.path("_source").deepCopy() : JSON.createObjectNode();
        return timedBulkLoad(index, lines, (i, body) -> {
            String instance = instances[i % instances.length];
            com.fasterxml.jackson.databind.node.ObjectNode doc = shape.deepCopy();
            doc.put("@timestamp", base.plusNanos(i * 1000L).toString());
            doc.put("app", app);
            doc.put("instance", instance);
            doc.put("level", levelWord(i).trim().toLowerCase());
            doc.put("message", levelWord(i) + " " + message(i, bytes - 6));
            doc.with("kafka").put("topic", TOPICS + app).put("partition", i % 3).put("offset", (long) i / 3);
            body.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"c:").append(instance)
                    .append(":2049:131").append(i % instances.length).append(':').append((long) (i / instances.length + 1) * (bytes + 40))
                    .append(':').append(base.plusNanos(i * 1000L).getNano()).append("\"}}\n");
            body.append(JSON.writeValueAsString(doc)).append('\n');
        });
    }

    interface BulkLine {
        void append(int i, StringBuilder body) throws IOException;
    }

    /** Bulk-loads documents 0..lines-1 in 5000-document bulks, two in flight, until all are counted; lines/s. */
    static double timedBulkLoad(String index, int lines, BulkLine line) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        long start = System.nanoTime();
        List<Future<?>> pending = new ArrayList<>();
        int batch = 5000;
        for (int from = 0; from < lines; from += batch) {
            int f = from;
            int to = Math.min(lines, from + batch);
            pending.add(pool.submit(() -> {
                StringBuilder body = new StringBuilder();
                for (int i = f; i < to; i++) {
                    line.append(i, body);
                }
                bulk(body.toString());
                return null;
            }));
            while (pending.size() >= 4) {
                pending.remove(0).get();
            }
        }
        for (Future<?> f : pending) {
            f.get();
        }
        pool.shutdown();
        long count = awaitCount(index, lines, Duration.ofMinutes(5));
        double secs = secs(start);
        if (count != lines) {
            throw new IllegalStateException("raw bulk: " + count + " of " + lines);
        }
        es("DELETE", "/" + index, null);
        return lines / secs;
    }

    static void deleteTopic(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.deleteTopics(List.of(topic)).all().get();
        } catch (Exception e) {
            System.out.println("   (could not delete " + topic + ": " + e.getMessage() + ")");
        }
    }

    // ---------------------------------------------------------------- throughput

    static void throughput(int bytes, int lines) throws Exception {
        String app = "lbench-" + bytes + "-" + run;
        String topic = TOPICS + app;
        createTopic(topic);
        Instant base = Instant.now();
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < lines; i++) {
                producer.send(new ProducerRecord<>(topic, app + "-" + (i % 8), event(app, i, base.plusNanos(i * 1000L), message(i, bytes))));
            }
            producer.flush();
        }
        double produceSecs = secs(t0);
        System.out.printf("== %d-byte lines: %,d produced to %s in %.1f s (%,.0f lines/s)%n", bytes, lines, topic, produceSecs, lines / produceSecs);

        try (Indexer indexer = Indexer.start("bench\\.logs\\." + app, "berth-bench-" + app)) {
            long start = System.nanoTime();
            long firstSeen = 0;
            long firstCount = 0;
            long count = 0;
            long deadline = start + Duration.ofMinutes(15).toNanos();
            while (count < lines && System.nanoTime() < deadline) {
                count = count(PREFIX + "-" + app + "-*");
                if (firstSeen == 0 && count > 0) {
                    firstSeen = System.nanoTime();
                    firstCount = count;
                }
                Thread.sleep(100);
            }
            double e2e = secs(start);
            long lost = lines - count;
            totalLost += Math.max(0, lost);
            double e2eRate = count / e2e;
            double steady = (count - firstCount) / secs(firstSeen);
            System.out.printf("   end to end (indexer ready -> all searchable): %,d lines in %.1f s = %,.0f lines/s; steady (first -> last searchable, without the group join) %,.0f lines/s (lost %d)%n",
                    count, e2e, e2eRate, steady, lost);
            indexer.close();
            double raw = rawBulk(bytes, lines, base);
            System.out.printf("   raw Elasticsearch bulk of the same documents: %,.0f lines/s; ratio %.2f (steady %.2f)%n", raw, e2eRate / raw, steady / raw);
        }
    }

    /** The documents the indexer writes for these lines, bulk-loaded directly: the ceiling. */
    static double rawBulk(int bytes, int lines, Instant base) throws Exception {
        String app = "lbenchraw-" + bytes + "-" + run;
        String index = PREFIX + "-" + app + "-" + day(base);
        return timedBulkLoad(index, lines, (i, body) -> {
            body.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"berth.logs.").append(app)
                    .append("-").append(i % 3).append("-").append(i / 3).append("\"}}\n");
            body.append(document(app, i, base.plusNanos(i * 1000L), message(i, bytes), i % 3, i / 3)).append('\n');
        });
    }

    // ---------------------------------------------------------------- latency

    /**
     * Lines are appended to the CRI files of 6 instances at a steady rate, each flushed as it is
     * written (as the agent's shim writes them); a line's latency runs from its write to the first
     * search that finds it.
     */
    static void latency(int rate, int seconds) throws Exception {
        String app = "lbench-lat-" + run;
        String topic = TOPICS + app;
        createTopic(topic);
        int lines = rate * seconds;
        long[] sentAt = new long[lines];
        long[] seenAt = new long[lines];
        Path work = Files.createDirectories(logDir.resolve("latency-" + app));
        Path logs = Files.createDirectories(work.resolve("logs"));
        Path appDir = Files.createDirectories(logs.resolve(app));
        String[] instances = instancesSpreadOverPartitions(app, 3, FILE_INSTANCES);
        java.io.OutputStream[] files = new java.io.OutputStream[instances.length];
        try (Indexer indexer = Indexer.start("bench\\.logs\\." + app, "berth-bench-" + app);
                Collector collector = Collector.start(work, logs)) {
            for (int k = 0; k < instances.length; k++) {
                files[k] = Files.newOutputStream(appDir.resolve(instances[k] + ".log"));
            }
            Thread.sleep(3000); // the indexer's consumer has joined and been assigned the topic
            AtomicLong seen = new AtomicLong();
            Thread poller = new Thread(() -> poll(app, sentAt, seenAt, lines, seen), "poller");
            poller.start();
            long interval = 1_000_000_000L / rate;
            long next = System.nanoTime();
            for (int i = 0; i < lines; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Instant now = Instant.now();
                sentAt[i] = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                java.io.OutputStream file = files[i % files.length];
                file.write((criTime(now) + " stdout F " + message(i, 100) + "\n").getBytes(StandardCharsets.UTF_8));
                file.flush();
                next += interval;
            }
            poller.join(60_000);
            long[] latencies = new long[lines];
            int missing = 0;
            for (int i = 0; i < lines; i++) {
                if (seenAt[i] == 0) {
                    missing++;
                    latencies[i] = Long.MAX_VALUE;
                } else {
                    latencies[i] = seenAt[i] - sentAt[i];
                }
            }
            Arrays.sort(latencies);
            totalLost += missing;
            System.out.printf("== latency at %,d lines/s for %d s (100-byte lines, %,d lines): written to file -> searchable p50 %d ms, p99 %d ms, max %d ms (lost %d)%n",
                    rate, seconds, lines, latencies[lines / 2] / 1_000_000, latencies[(int) (lines * 0.99)] / 1_000_000,
                    latencies[lines - 1 - missing] / 1_000_000, missing);
        } finally {
            for (java.io.OutputStream f : files) {
                if (f != null) {
                    f.close();
                }
            }
        }
        es("DELETE", "/" + PREFIX + "-" + app + "-*", null);
        deleteTopic(topic);
    }

    /** Every 100 ms: which lines are searchable now that were not before. */
    static void poll(String app, long[] sentAt, long[] seenAt, int lines, AtomicLong seen) {
        int lowest = 0;
        int written = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(lines / 100 + 120).toNanos();
        while (lowest < lines && System.nanoTime() < deadline) {
            try {
                while (lowest < lines && sentAt[lowest] == 0) {
                    Thread.sleep(20);
                }
                long from = sentAt[lowest];
                // sentAt is ascending up to the last line written so far; beyond it, zeros
                written = Math.max(written, lowest);
                while (written < lines && sentAt[written] != 0) {
                    written++;
                }
                // oldest first from the oldest line not seen yet, by doc values only: a line is known by its
                // time, which is its write time to the nanosecond (each line's is distinct)
                String body = "{\"size\":5000,\"_source\":false,\"sort\":[{\"@timestamp\":\"asc\"}],"
                        + "\"docvalue_fields\":[{\"field\":\"@timestamp\",\"format\":\"strict_date_optional_time_nanos\"}],"
                        + "\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"" + Instant.ofEpochSecond(0, from)
                        + "\",\"format\":\"strict_date_optional_time_nanos\"}}}}";
                JsonNode hits = es("POST", "/" + PREFIX + "-" + app + "-*/_search?ignore_unavailable=true&allow_no_indices=true", body)
                        .path("hits").path("hits");
                Instant n = Instant.now();
                long now = n.getEpochSecond() * 1_000_000_000L + n.getNano();
                for (JsonNode hit : hits) {
                    Instant t = Instant.parse(hit.path("fields").path("@timestamp").path(0).asText());
                    int seq = Arrays.binarySearch(sentAt, lowest, written, t.getEpochSecond() * 1_000_000_000L + t.getNano());
                    if (seq >= 0 && seenAt[seq] == 0) {
                        seenAt[seq] = now;
                        seen.incrementAndGet();
                    }
                }
                while (lowest < lines && seenAt[lowest] != 0) {
                    lowest++;
                }
                Thread.sleep(100);
            } catch (Exception e) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    // ---------------------------------------------------------------- 10 million lines, one-minute window

    static void window(long lines) throws Exception {
        String app = "lbench10m";
        LocalDate day = LocalDate.of(2026, 1, 1);
        String index = PREFIX + "-" + app + "-" + day.format(DateTimeFormatter.ofPattern("yyyy.MM.dd"));
        Path note = logDir.resolve("window-load.txt");
        long have = count(index);
        if (have == lines) {
            System.out.printf("== window query: reusing %s (%,d lines; %s)%n", index, have,
                    Files.exists(note) ? Files.readString(note).trim() : "load time not recorded");
        } else {
            es("DELETE", "/" + index + "?ignore_unavailable=true", null);
            templatesByIndexer();
            // a bulk load at full speed: no refresh, no fsync per request, ids left to Elasticsearch (which
            // then skips the lookup of each id); the window query reads neither the ids nor the translog
            es("PUT", "/" + index, "{\"settings\":{\"index.refresh_interval\":\"-1\",\"index.translog.durability\":\"async\"}}");
            long start = System.nanoTime();
            Instant first = day.atStartOfDay().toInstant(ZoneOffset.UTC);
            long stepNanos = 86_400_000_000_000L / lines;
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> pending = new ArrayList<>();
            int batch = 10_000;
            AtomicLong done = new AtomicLong();
            for (long from = 0; from < lines; from += batch) {
                long f = from;
                long to = Math.min(lines, from + batch);
                pending.add(pool.submit(() -> {
                    StringBuilder body = new StringBuilder(batch * 330);
                    for (long i = f; i < to; i++) {
                        body.append("{\"index\":{}}\n");
                        body.append(document(app, (int) i, first.plusNanos(i * stepNanos), message((int) i, 100), (int) (i % 3), i / 3)).append('\n');
                    }
                    bulkInto(index, body.toString());
                    long d = done.addAndGet(to - f);
                    if (d % 1_000_000 < batch) {
                        System.out.printf("   loaded %,d lines (%.0f s)%n", d, secs(start));
                    }
                    return null;
                }));
                while (pending.size() >= 4) {
                    pending.remove(0).get();
                }
            }
            for (Future<?> f : pending) {
                f.get();
            }
            pool.shutdown();
            es("PUT", "/" + index + "/_settings", "{\"index.refresh_interval\":\"1s\",\"index.translog.durability\":\"request\"}");
            es("POST", "/" + index + "/_refresh", null);
            // committed to disk now: a restart of Elasticsearch opens it instead of replaying its translog
            es("POST", "/" + index + "/_flush", null);
            double secs = secs(start);
            String text = String.format("generated and bulk-loaded at max speed in %.0f s (%,.0f lines/s), %s", secs, lines / secs, Instant.now());
            Files.writeString(note, text + "\n");
            System.out.printf("== window query: %,d lines in %s, %s%n", count(index), index, text);
        }
        System.out.println("   index: " + es("GET", "/_cat/indices/" + index + "?h=docs.count,store.size,pri.store.size&format=json", null));
        try (Indexer indexer = Indexer.start("bench\\.logs\\.lbench-none", "berth-bench-window-" + run)) {
            Random random = new Random(7);
            List<Long> wall = new ArrayList<>();
            List<Long> took = new ArrayList<>();
            int lineCount = 0;
            List<Long> warmUp = new ArrayList<>();
            int warmUps = 20;
            for (int i = 0; i < warmUps + 200; i++) {
                int minute = random.nextInt(24 * 60 - 1);
                Instant from = day.atStartOfDay().toInstant(ZoneOffset.UTC).plusSeconds(minute * 60L);
                Instant to = from.plusSeconds(60).minusNanos(1);
                String q = i % 2 == 0 ? "" : "&q=payment";
                long t = System.nanoTime();
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(indexer.url + "/api/logs/" + app + "?size=100&from="
                        + from + "&to=" + to + q)).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                long ms = (System.nanoTime() - t) / 1_000_000;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("window query: " + r.statusCode() + " " + r.body());
                }
                JsonNode page = JSON.readTree(r.body());
                lineCount = page.path("lines").size();
                if (i < warmUps) {
                    // a freshly started indexer JVM (class loading, JIT), unlike the platform's long-running one:
                    // reported, not counted
                    warmUp.add(ms);
                    if (i == warmUps - 1) {
                        System.out.printf("   %d warm-up requests to the freshly started indexer (other minutes, not counted): first %d ms, last %d ms%n",
                                warmUps, warmUp.get(0), ms);
                    }
                    continue;
                }
                wall.add(ms);
                took.add(page.path("tookMillis").asLong());
            }
            System.out.printf("   one-minute window, newest 100 lines, 200 random minutes (half with q=payment): API p50 %d ms, p99 %d ms, max %d ms; Elasticsearch took p50 %d ms, max %d ms%n",
                    pct(wall, 0.5), pct(wall, 0.99), pct(wall, 1.0), pct(took, 0.5), pct(took, 1.0));
        }
    }

    /** The generator writes straight into the indexer's daily index: the indexer installs the template at start. */
    static void templatesByIndexer() throws Exception {
        try (Indexer indexer = Indexer.start("bench\\.logs\\.lbench-none", "berth-bench-templates-" + run)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!es("GET", "/_index_template/" + PREFIX, null).has("index_templates") && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    static long pct(List<Long> values, double p) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * p)));
    }

    static String day(Instant t) {
        return DateTimeFormatter.ofPattern("yyyy.MM.dd").format(t.atOffset(ZoneOffset.UTC));
    }

    /** A line of exactly {@code bytes} ASCII bytes that starts with its sequence number. */
    static String message(int seq, int bytes) {
        StringBuilder s = new StringBuilder("seq ").append(seq).append(' ');
        String[] words = WORDS.split(" ");
        int w = seq;
        while (s.length() < bytes) {
            s.append(words[Math.floorMod(w * 31 + s.length(), words.length)]).append(' ');
            w++;
        }
        s.setLength(bytes);
        return s.toString();
    }

    static String level(int seq) {
        return seq % 50 == 0 ? "error" : seq % 10 == 0 ? "warn" : "info";
    }

    /** A CloudEvent of type io.berth.LogLine, as the collector produces it. */
    static byte[] event(String app, int seq, Instant time, String message) throws IOException {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("app", app);
        data.put("team", "bench");
        data.put("instance", app + "-" + (seq % 8));
        data.put("release", 1);
        data.put("time", time.toString());
        data.put("stream", "stdout");
        data.put("level", level(seq));
        data.put("message", message);
        data.put("fields", Map.of());
        Map<String, Object> event = new java.util.LinkedHashMap<>();
        event.put("specversion", "1.0");
        event.put("id", UUID.randomUUID().toString());
        event.put("source", "/bench/logs");
        event.put("type", "io.berth.LogLine");
        event.put("time", time.toString());
        event.put("subject", app);
        event.put("dataschema", "urn:io.berth:schema:LogLine:v1");
        event.put("datacontenttype", "application/json");
        event.put("data", data);
        return JSON.writeValueAsBytes(event);
    }

    /** The document the indexer writes for such a line (see DocumentJson.log). */
    static String document(String app, int seq, Instant time, String message, int partition, long offset) throws IOException {
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("@timestamp", time.toString());
        doc.put("app", app);
        doc.put("team", "bench");
        doc.put("release", "1");
        doc.put("instance", app + "-" + (seq % 8));
        doc.put("level", level(seq));
        doc.put("stream", "stdout");
        doc.put("message", message);
        doc.put("truncated", false);
        doc.put("kafka", Map.of("topic", TOPICS + app, "partition", partition, "offset", offset));
        doc.put("source", "collector");
        return JSON.writeValueAsString(doc);
    }

    static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }

    static void createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
    }

    static long awaitCount(String index, long expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long c = count(index);
            if (c >= expected) {
                return c;
            }
            if (c != last) {
                last = c;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > Duration.ofSeconds(60).toNanos()) {
                return c; // stuck for a minute: report what is there
            }
            Thread.sleep(100);
        }
        return last;
    }

    static long count(String index) throws Exception {
        JsonNode c = es("GET", "/" + index + "/_count?ignore_unavailable=true&allow_no_indices=true", null);
        return c.path("count").asLong(0);
    }

    static void bulk(String body) throws Exception {
        bulkAt("/_bulk", body);
    }

    static void bulkInto(String index, String body) throws Exception {
        bulkAt("/" + index + "/_bulk", body);
    }

    static void bulkAt(String path, String body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            String problem;
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(es + path + "?filter_path=errors,items.*.status,items.*.error.type"))
                        .header("Content-Type", "application/x-ndjson").timeout(Duration.ofMinutes(2))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && !JSON.readTree(r.body()).path("errors").asBoolean()) {
                    return;
                }
                problem = r.statusCode() + " " + r.body().substring(0, Math.min(500, r.body().length()));
            } catch (IOException e) {
                problem = e.toString(); // Elasticsearch restarting: retry
            }
            if (attempt >= 120) {
                throw new IllegalStateException("bulk failed: " + problem);
            }
            Thread.sleep(Math.min(500L * attempt, 5000)); // 429s under load: retry (ids make it idempotent)
        }
    }

    static JsonNode es(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(es + path)).timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    static double secs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The packaged collector as its own process: the bench's directories, topic prefix and a throwaway group. */
    static final class Collector implements AutoCloseable {
        final Process process;

        private Collector(Process process) {
            this.process = process;
        }

        static Collector start(Path work, Path logs) throws Exception {
            Map<String, String> env = new HashMap<>();
            env.put("BERTH_LOG_COLLECTOR_LOG_DIR", logs.toString());
            env.put("BERTH_LOG_COLLECTOR_STATE_DIR", Files.createDirectories(work.resolve("state")).toString());
            env.put("BERTH_LOG_COLLECTOR_INSTANCES_DIR", Files.createDirectories(work.resolve("instances")).toString());
            env.put("BERTH_LOG_COLLECTOR_TOPIC_PREFIX", TOPICS);
            env.put("BERTH_LOGS_MANAGED_APPS", "none");
            env.put("MP_MESSAGING_INCOMING_DEPLOYMENTS_GROUP_ID", "berth-bench-" + UUID.randomUUID());
            env.put("MP_MESSAGING_INCOMING_DEPLOYMENTS_AUTO_OFFSET_RESET", "latest");
            Launched launched = launch(collectorJar, "-Xmx512m", "BENCH_COLLECTOR_JAVA_OPTS", "collector", env);
            return new Collector(launched.process());
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                process.waitFor();
            }
        }
    }

    record Launched(Process process, String url) {
    }

    /**
     * A packaged service of the bench's own, on a free port, with the bench's admin token, its output
     * appended to {@code <name>.log}; returned once it is ready.
     */
    static Launched launch(Path serviceJar, String heap, String optionsVariable, String name, Map<String, String> env)
            throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of("java", heap));
        command.addAll(extraJavaOptions(optionsVariable));
        command.addAll(List.of("-jar", serviceJar.toString()));
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile()));
        b.environment().putAll(env);
        b.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        b.environment().put("BERTH_AUTH_ADMIN_TOKEN_SHA256",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8))));
        b.environment().putIfAbsent("BERTH_AUTH_SERVICE_TOKEN", UUID.randomUUID().toString());
        Process process = b.start();
        String url = "http://127.0.0.1:" + port;
        awaitReady(process, url, name);
        return new Launched(process, url);
    }

    static List<String> extraJavaOptions(String variable) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
    }

    static void awaitReady(Process process, String url, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException starting) {
                // not yet listening
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(what + " exited; see " + logDir.resolve(what + ".log"));
            }
            Thread.sleep(100);
        }
        process.destroy();
        throw new IllegalStateException(what + " not ready in 90 s");
    }

    /** The packaged indexer as its own process, on a free port, with the bench's prefix, topics and group. */
    static final class Indexer implements AutoCloseable {
        final Process process;
        final String url;

        private Indexer(Process process, String url) {
            this.process = process;
            this.url = url;
        }

        static Indexer start(String topicPattern, String group) throws Exception {
            Launched launched = launch(jar, "-Xmx384m", "BENCH_INDEXER_JAVA_OPTS", "indexer", Map.of(
                    "BERTH_LOGS_INDEX_PREFIX", PREFIX,
                    "BERTH_LOGS_TOPIC_PATTERN", topicPattern,
                    "BERTH_LOGS_CONSUMER_GROUP", group,
                    "BERTH_LOGS_RETENTION_DAYS", "36500"));
            return new Indexer(launched.process(), launched.url());
        }

        /** How many bulks the indexer made and how long they took, from its metrics. */
        String bulkSummary() {
            try {
                String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
                double bulks = metric(metrics, "berth_logs_bulk_seconds_count");
                double seconds = metric(metrics, "berth_logs_bulk_seconds_sum");
                double indexed = metric(metrics, "berth_logs_indexed_total");
                return String.format("%.0f bulks, %.0f documents a bulk, %.0f ms a bulk on average", bulks, indexed / bulks,
                        seconds / bulks * 1000);
            } catch (IOException | InterruptedException e) {
                return "metrics unavailable: " + e;
            }
        }

        private static double metric(String metrics, String name) {
            return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                process.waitFor();
            }
        }
    }
}

package io.berth.logindexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.testing.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What each fault test needs: the whole pipeline as the platform runs it, from an instance's log
 * file to Elasticsearch: a writer that appends numbered lines to the CRI files of four instances
 * (as the agent's shim does), the packaged collector tailing them into the app's topic, and the
 * packaged indexer (its own index prefix, group and topic pattern); the count in Elasticsearch;
 * and the means to kill any of them, the broker or Elasticsearch and bring them back.
 */
final class FaultRig implements AutoCloseable {
    static final String PREFIX = "berth-it-logs";
    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    static final Path COLLECTOR_JAR = Path.of("../log-collector/target/quarkus-app/quarkus-run.jar");
    static final int INSTANCES = 4;
    static final Path BERTH_DEV = Path.of("../../bin/berth-dev").toAbsolutePath().normalize();
    static final Path RUN = Path.of(System.getenv().getOrDefault("BERTH_HOME", "/var/lib/berth"), "run");
    static final ObjectMapper JSON = new ObjectMapper();

    final String app = "itf-" + UUID.randomUUID().toString().substring(0, 8);
    final String bootstrap = System.getenv().getOrDefault("BERTH_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    final String elasticsearch = System.getenv().getOrDefault("BERTH_ELASTICSEARCH_URL", "http://127.0.0.1:9200");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final Path dir = Path.of("target/faults").resolve(app).toAbsolutePath();
    ServiceProcess indexer;
    ServiceProcess collector;
    Writer writer;

    /** The collector with its own directories; started again on the same ones it resumes from its checkpoints. */
    void startCollector() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("BERTH_LOG_COLLECTOR_LOG_DIR", Files.createDirectories(dir.resolve("logs")).toString());
        env.put("BERTH_LOG_COLLECTOR_STATE_DIR", Files.createDirectories(dir.resolve("state")).toString());
        env.put("BERTH_LOG_COLLECTOR_INSTANCES_DIR", Files.createDirectories(dir.resolve("instances")).toString());
        env.put("BERTH_LOGS_MANAGED_APPS", "none");
        env.put("MP_MESSAGING_INCOMING_DEPLOYMENTS_GROUP_ID", "berth-it-" + app);
        env.put("MP_MESSAGING_INCOMING_DEPLOYMENTS_AUTO_OFFSET_RESET", "latest");
        collector = ServiceProcess.start(COLLECTOR_JAR, ServiceProcess.freePort(), env, Path.of("target/log-collector-it.log"),
                "/q/health/ready");
    }

    void startIndexer() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("BERTH_LOGS_INDEX_PREFIX", PREFIX);
        env.put("BERTH_LOGS_TOPIC_PATTERN", "berth\\.logs\\.itf-.*");
        env.put("BERTH_LOGS_CONSUMER_GROUP", "berth-it-log-indexer");
        env.put("BERTH_LOGS_BACKOFF_MAX", "2s");
        indexer = ServiceProcess.start(JAR, ServiceProcess.freePort(), env, Path.of("target/log-indexer-it.log"), "/q/health/ready");
    }

    /** Appends numbered lines at {@code perSecond} to the instances' CRI files until stopped, each line flushed as it is written. */
    final class Writer implements AutoCloseable {
        final AtomicInteger written = new AtomicInteger();
        private volatile boolean running = true;
        private final Thread thread;

        Writer(int perSecond) throws IOException {
            Path appDir = Files.createDirectories(dir.resolve("logs").resolve(app));
            java.io.OutputStream[] files = new java.io.OutputStream[INSTANCES];
            for (int i = 0; i < INSTANCES; i++) {
                files[i] = Files.newOutputStream(appDir.resolve(app + "-" + i + ".log"), java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
            thread = new Thread(() -> {
                long interval = 1_000_000_000L / perSecond;
                long next = System.nanoTime();
                try {
                    while (running) {
                        int seq = written.get();
                        files[seq % INSTANCES].write((Instant.now() + " stdout F seq " + seq + " order processed\n")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        files[seq % INSTANCES].flush();
                        written.incrementAndGet();
                        next += interval;
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException("writing the instances' log files", e);
                } finally {
                    for (java.io.OutputStream f : files) {
                        try {
                            f.close();
                        } catch (IOException ignored) {
                            // the test reads what was written
                        }
                    }
                }
            }, "line-writer");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    Writer write(int perSecond) throws IOException {
        writer = new Writer(perSecond);
        return writer;
    }

    JsonNode es(String method, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(elasticsearch + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    long count() {
        try {
            es("POST", "/" + PREFIX + "-" + app + "-*/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
            JsonNode c = es("GET", "/" + PREFIX + "-" + app + "-*/_count?ignore_unavailable=true&allow_no_indices=true", null);
            return c.path("count").asLong(-1);
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    /**
     * Waits until Elasticsearch holds as many documents as lines were written, then checks that each
     * line is there exactly once: none lost (the files were the buffer while anything was down) and
     * none twice (a line the collector sent again, or a batch the indexer wrote again, overwrote itself).
     */
    void assertEveryLineOnce(Duration timeout) throws Exception {
        int written = writer.written.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        long count = count();
        // a count of -1 is Elasticsearch too busy to answer in time (or restarting): ask again
        while (count < written && System.nanoTime() < deadline) {
            Thread.sleep(500);
            count = count();
        }
        Thread.sleep(2000); // a duplicate still in flight would land now
        count = count();
        Map<Integer, Integer> seen = new HashMap<>();
        String after = "";
        while (true) {
            JsonNode hits = es("POST", "/" + PREFIX + "-" + app + "-*/_search", "{\"size\":5000,\"_source\":[\"message\"],"
                    + "\"sort\":[{\"kafka.partition\":\"asc\"},{\"kafka.offset\":\"asc\"}]" + after + "}").path("hits").path("hits");
            for (JsonNode hit : hits) {
                int seq = Integer.parseInt(hit.path("_source").path("message").asText().split(" ")[1]);
                seen.merge(seq, 1, Integer::sum);
            }
            if (hits.size() < 5000) {
                break;
            }
            after = ",\"search_after\":" + hits.get(hits.size() - 1).path("sort");
        }
        List<Integer> twice = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
        List<Integer> missing = java.util.stream.IntStream.range(0, written).filter(seq -> !seen.containsKey(seq)).boxed().toList();
        assertEquals(List.of(), twice, "lines indexed twice");
        assertEquals(List.of(), missing, "lines written but not indexed");
        assertEquals(written, count, "documents in Elasticsearch == lines written");
        System.out.printf("written %d, indexed %d, none twice%n", written, count);
    }

    /** Records in the app's topic: more than the lines written when the collector sent some of them twice. */
    long recordsInTopic() throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            String topic = "berth.logs." + app;
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new org.apache.kafka.common.TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }

    static void kill9(String component) throws Exception {
        Path pidFile = RUN.resolve(component).resolve("pid");
        String pid = Files.readString(pidFile).trim();
        Process kill = new ProcessBuilder("kill", "-9", pid).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -9 " + component + " (" + pid + ")");
        // wait until it is really gone
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** bin/berth-dev infra-up: starts whatever of Kafka, Elasticsearch, HAProxy and BIND is not running. */
    static void infraUp() throws Exception {
        Process up = new ProcessBuilder(BERTH_DEV.toString(), "infra-up").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target/infra-up.log").toFile())).start();
        assertEquals(0, up.waitFor(), "bin/berth-dev infra-up (see target/infra-up.log)");
    }

    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
        if (indexer != null) {
            indexer.kill();
        }
        if (collector != null) {
            collector.kill();
        }
    }
}

package io.berth.logindexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.testing.ServiceProcess;
import io.berth.events.log.LogLine;
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
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What each fault test needs: the packaged indexer as its own process (its own index prefix, group
 * and topics), a writer of numbered lines, the count in Elasticsearch, and the means to kill the
 * broker or Elasticsearch and bring them back with bin/berth-dev infra-up.
 */
final class FaultRig implements AutoCloseable {
    static final String PREFIX = "berth-it-logs";
    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    static final Path BERTH_DEV = Path.of("../../bin/berth-dev").toAbsolutePath().normalize();
    static final Path RUN = Path.of(System.getenv().getOrDefault("BERTH_HOME", "/var/lib/berth"), "run");
    static final ObjectMapper JSON = new ObjectMapper();

    final String app = "itf-" + UUID.randomUUID().toString().substring(0, 8);
    final String bootstrap = System.getenv().getOrDefault("BERTH_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    final String elasticsearch = System.getenv().getOrDefault("BERTH_ELASTICSEARCH_URL", "http://127.0.0.1:9200");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    ServiceProcess indexer;
    Writer writer;

    void startIndexer() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("BERTH_LOGS_INDEX_PREFIX", PREFIX);
        env.put("BERTH_LOGS_TOPIC_PATTERN", "berth\\.logs\\.itf-.*");
        env.put("BERTH_LOGS_CONSUMER_GROUP", "berth-it-log-indexer");
        env.put("BERTH_LOGS_BACKOFF_MAX", "2s");
        indexer = ServiceProcess.start(JAR, ServiceProcess.freePort(), env, Path.of("target/log-indexer-it.log"), "/q/health/ready");
    }

    /** Writes numbered LogLine events at {@code perSecond} until stopped; counts what the broker acknowledged. */
    final class Writer implements AutoCloseable {
        final AtomicInteger sent = new AtomicInteger();
        final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        final Set<Integer> failed = ConcurrentHashMap.newKeySet();
        private final LogProducer producer = new LogProducer(bootstrap);
        private volatile boolean running = true;
        private final Thread thread;

        Writer(int perSecond) {
            thread = new Thread(() -> {
                long interval = 1_000_000_000L / perSecond;
                long next = System.nanoTime();
                while (running) {
                    int seq = sent.getAndIncrement();
                    LogLine line = new LogLine(app, "it", app + "-" + (seq % 4), 1, Instant.now(), "stdout", "info",
                            "seq " + seq + " order processed", Map.of());
                    try {
                        producer.line(line, (metadata, error) -> {
                            if (error == null) {
                                acknowledged.add(seq);
                            } else {
                                failed.add(seq);
                                System.err.println("line " + seq + " not acknowledged: " + error);
                            }
                        });
                    } catch (RuntimeException e) {
                        failed.add(seq);
                    }
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        try {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        } catch (InterruptedException e) {
                            return;
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
            producer.flush();
            producer.close();
        }
    }

    Writer write(int perSecond) {
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
     * Waits until Elasticsearch holds every line Kafka acknowledged, then checks each is there exactly
     * once. A send the producer gave up on (rare, around a broker kill) may or may not be in Kafka: if
     * it is, it must be indexed once too, so the count is compared with the distinct lines found.
     */
    void assertEveryLineOnce(Duration timeout) throws Exception {
        int written = writer.acknowledged.size();
        assertEquals(writer.sent.get(), written + writer.failed.size(), "every send completed");
        assertTrue(writer.failed.size() <= writer.sent.get() / 100, "at most 1 % of sends failed: " + writer.failed);
        long deadline = System.nanoTime() + timeout.toNanos();
        long count = count();
        // a count of -1 is Elasticsearch too busy to answer in time (or restarting): ask again
        while ((count < written) && System.nanoTime() < deadline || count < 0 && System.nanoTime() < deadline + Duration.ofSeconds(60).toNanos()) {
            Thread.sleep(500);
            count = count();
        }
        Thread.sleep(2000); // anything still in flight (a failed send that did reach Kafka) lands too
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
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "no line twice");
        for (int seq : writer.acknowledged) {
            assertTrue(seen.containsKey(seq), "line " + seq + " indexed");
        }
        assertEquals(seen.size(), count, "documents in Elasticsearch == distinct lines");
        assertTrue(writer.failed.containsAll(seen.keySet().stream().filter(s -> !writer.acknowledged.contains(s)).toList()),
                "nothing indexed that was not written");
        System.out.printf("written %d (acknowledged %d, failed %d), indexed %d, no duplicate%n", writer.sent.get(), written,
                writer.failed.size(), count);
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
    }
}

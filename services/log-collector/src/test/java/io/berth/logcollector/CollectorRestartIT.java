package io.berth.logcollector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.testing.ServiceProcess;
import io.berth.events.Topics;
import io.berth.events.log.LogLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged collector killed (-9) while lines are flowing and started again: every line is on
 * the topic, and the only repeats are lines after the last checkpoint written before the kill.
 */
class CollectorRestartIT {
    static final Pattern SEQ = Pattern.compile("seq=(\\d+) ");
    static final String BOOTSTRAP = System.getenv().getOrDefault("BERTH_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");

    private ServiceProcess collector;
    private String app;

    @AfterEach
    void stop() throws Exception {
        if (collector != null) {
            collector.kill();
        }
        // the topic is the test's own: the platform's indexer should not keep it
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
            admin.deleteTopics(java.util.List.of(Topics.logs(app))).all().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    void start(Path root, int port) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("BERTH_LOG_COLLECTOR_LOG_DIR", root.resolve("logs").toString());
        env.put("BERTH_LOG_COLLECTOR_INSTANCES_DIR", root.resolve("instances").toString());
        env.put("BERTH_LOG_COLLECTOR_STATE_DIR", root.resolve("state").toString());
        env.put("MP_MESSAGING_INCOMING_DEPLOYMENTS_GROUP_ID", "berth-log-collector-it-" + UUID.randomUUID());
        env.put("MP_MESSAGING_INCOMING_DEPLOYMENTS_AUTO_OFFSET_RESET", "latest");
        // the broker is shared: leave other apps' topics alone
        env.put("BERTH_LOGS_MANAGED_APPS", "none");
        collector = ServiceProcess.start(Path.of("target/quarkus-app/quarkus-run.jar"), port, env,
                Path.of("target/collector-it.log"), "/q/health/ready");
    }

    @Test
    void killedWhileLinesFlowItLosesNothingAndRepeatsOnlyWhatCameAfterItsLastCheckpoint() throws Exception {
        Path root = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "collector-it-");
        app = "collector-restart-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = root.resolve("logs").resolve(app).resolve(app + "-1-kill9.log");
        int port = ServiceProcess.freePort();
        start(root, port);

        int total = 150_000;
        long[] endOffsets = new long[total];
        AtomicInteger written = new AtomicInteger();
        // about 25,000 lines a second, in bursts, as a busy instance writes them
        Thread writer = new Thread(() -> {
            try (CriWriter out = new CriWriter(file)) {
                for (int i = 0; i < total; i++) {
                    endOffsets[i] = out.line(i % 7 == 0 ? "stderr" : "stdout", "INFO seq=" + i + " " + "x".repeat(40));
                    written.set(i + 1);
                    if (i % 250 == 249) {
                        Thread.sleep(10);
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        // kill once a third is written and the collector has checkpointed some of it (a slow broker may
        // take a while to create the topic), while the writer goes on
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (written.get() < total / 3 || checkpointOffset(root.resolve("state/checkpoints.json")) == 0
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        collector.kill();
        int writtenAtKill = written.get();
        long checkpoint = checkpointOffset(root.resolve("state/checkpoints.json"));
        assertTrue(checkpoint > 0, "a checkpoint was written before the kill");
        Thread.sleep(500);
        start(root, port);
        writer.join();

        try (TopicReader reader = new TopicReader(BOOTSTRAP, Topics.logs(app))) {
            int[] seen = new int[total];
            AtomicInteger distinct = new AtomicInteger();
            reader.readUntil(records -> records.size() >= total && countDistinct(records, seen, distinct) >= total,
                    Duration.ofSeconds(120));
            java.util.Arrays.fill(seen, 0);
            int lines = 0;
            for (var record : reader.readUntil(r -> true, Duration.ZERO)) {
                Matcher m = SEQ.matcher(((LogLine) record.value().data()).message());
                assertTrue(m.find());
                seen[Integer.parseInt(m.group(1))]++;
                lines++;
            }
            int missing = 0;
            int repeated = 0;
            for (int i = 0; i < total; i++) {
                if (seen[i] == 0) {
                    missing++;
                } else if (seen[i] > 1) {
                    repeated += seen[i] - 1;
                    // a repeat must come from after the last checkpoint
                    assertTrue(endOffsets[i] > checkpoint, "seq " + i + " (ends at " + endOffsets[i]
                            + ") repeated though the checkpoint was at " + checkpoint);
                }
            }
            System.out.printf("restart IT: %d lines written (%d when killed), %d records, %d missing, %d repeated, "
                    + "checkpoint at byte %d of %d%n", total, writtenAtKill, lines, missing, repeated, checkpoint,
                    endOffsets[total - 1]);
            assertEquals(0, missing, "no line lost");
            assertTrue(repeated < writtenAtKill, "repeats only from after the checkpoint");
        }
    }

    static int countDistinct(java.util.List<? extends org.apache.kafka.clients.consumer.ConsumerRecord<String, io.berth.events.CloudEvent>> records,
            int[] seen, AtomicInteger distinct) {
        java.util.Arrays.fill(seen, 0);
        int count = 0;
        for (var record : records) {
            Matcher m = SEQ.matcher(((LogLine) record.value().data()).message());
            if (m.find() && seen[Integer.parseInt(m.group(1))]++ == 0) {
                count++;
            }
        }
        distinct.set(count);
        return count;
    }

    static long checkpointOffset(Path checkpoints) throws Exception {
        if (!Files.exists(checkpoints)) {
            return 0;
        }
        JsonNode all = new ObjectMapper().readTree(checkpoints.toFile());
        long offset = 0;
        for (JsonNode c : all) {
            offset = Math.max(offset, c.get("offset").asLong());
        }
        return offset;
    }
}

package io.berth.logindexer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.TestAuth;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a user sees of the whole pipeline, from the lines an instance writes to its CRI file: exactly
 * N documents for N lines (distinct ids, no sequence number missing), found by text and by time
 * window through the log API, and a new line in the live tail within a second of its write.
 */
class PipelineFromFilesIT {
    static final int LINES = 1000;

    @Test
    void everyLineAnInstanceWritesIsFoundOnceAndTailedWithinASecond() throws Exception {
        try (FaultRig rig = new FaultRig()) {
            rig.startIndexer();
            rig.startCollector();
            Path log = Files.createDirectories(rig.dir.resolve("logs").resolve(rig.app)).resolve(rig.app + "-0.log");
            Instant first = Instant.now();
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < LINES; i++) {
                String word = i % 10 == 0 ? "payment" : "cart";
                lines.append(first.plusMillis(i)).append(" stdout F INFO seq ").append(i).append(' ').append(word).append(" done\n");
            }
            Files.writeString(log, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (rig.count() < LINES && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(LINES, rig.count(), "documents for " + LINES + " lines");

            RestAssured.baseURI = "http://127.0.0.1";
            RestAssured.port = rig.indexer.port();
            Set<String> ids = new HashSet<>();
            Set<Integer> seqs = new HashSet<>();
            String next = null;
            do {
                JsonPath page = TestAuth.asAdmin().get("/api/logs/" + rig.app + "?size=300"
                        + (next == null ? "" : "&searchAfter=" + next)).then().statusCode(200).extract().jsonPath();
                List<Map<String, Object>> found = page.getList("lines");
                for (Map<String, Object> line : found) {
                    ids.add((String) line.get("id"));
                    seqs.add(Integer.parseInt(((String) line.get("message")).split(" ")[2]));
                }
                next = page.getString("next");
            } while (next != null);
            assertEquals(LINES, ids.size(), "distinct document ids");
            assertEquals(LINES, seqs.size(), "every sequence number once, none missing");

            assertEquals(LINES / 10, TestAuth.asAdmin().get("/api/logs/" + rig.app + "?size=1000&q=payment")
                    .then().statusCode(200).extract().jsonPath().getList("lines").size(), "found by text");
            List<Integer> window = TestAuth.asAdmin().get("/api/logs/" + rig.app + "?size=1000&from=" + first.plusMillis(100)
                    + "&to=" + first.plusMillis(199)).then().statusCode(200).extract().jsonPath().getList("lines.message")
                    .stream().map(m -> Integer.parseInt(((String) m).split(" ")[2])).toList();
            assertEquals(100, window.size(), "found by time window");
            assertEquals(199, window.get(0), "newest first");

            try (SseClient tail = SseClient.open(URI.create(rig.indexer.url() + "/api/logs/" + rig.app + "/tail"))) {
                tail.awaitEvent("ready", Duration.ofSeconds(10));
                long written = System.nanoTime();
                Files.writeString(log, Instant.now() + " stdout F INFO seq " + LINES + " fresh\n", StandardCharsets.UTF_8,
                        StandardOpenOption.APPEND);
                JsonPath line = tail.awaitLog(Duration.ofSeconds(5));
                long millis = (System.nanoTime() - written) / 1_000_000;
                assertEquals("INFO seq " + LINES + " fresh", line.getString("message"));
                System.out.printf("a line written to the file reached the live tail in %d ms%n", millis);
                assertTrue(millis < 1000, "a line written to the file reached the live tail in " + millis + " ms");
            }
        }
    }
}

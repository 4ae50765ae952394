package io.berth.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.common.auth.TokenHash;
import io.berth.common.testing.TestAuth;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 7, acceptance 4: a secret env value set on a release reaches the instance (its command
 * refuses to start without it, naming only its hash) and appears nowhere else: not in any answer
 * of any service, any file the platform wrote, any Kafka record, any Elasticsearch document or the
 * console's page; PostgreSQL holds it sealed.
 */
@ExtendWith(SystemPlatform.class)
class SecretLeakIT {
    static final String ES = System.getenv().getOrDefault("BERTH_ELASTICSEARCH_URL", "http://127.0.0.1:9200");

    @Test
    void aSecretReachesTheInstanceAndNothingElse() throws Exception {
        Tenants t = Tenants.get();
        byte[] random = new byte[40];
        new SecureRandom().nextBytes(random);
        String secret = "sekret" + HexFormat.of().formatHex(random);
        String app = "syss-" + t.run;
        String sha = TokenHash.sha256Hex(secret);
        String command = "test \"$(printf %s \"$DB_PASSWORD\" | sha256sum | cut -c1-64)\" = " + sha
                + " || exit 3; echo secret checked; exec java " + SystemPlatform.SAMPLE_JVM_FLAGS + " -jar "
                + SystemPlatform.SAMPLE_ARTIFACT;
        Tenants.as(t.devA, "deploy", "POST", "/api/apps", "{\"name\":\"" + app + "\"}");
        Tenants.as(t.devA, "deploy", "POST", "/api/apps/" + app + "/releases", "{\"artifact\":\"" + SystemPlatform.SAMPLE_ARTIFACT
                + "\",\"command\":[\"sh\",\"-c\"," + Http.JSON.valueToTree(command) + "],\"env\":[{\"name\":\"DB_PASSWORD\",\"value\":\"" + secret
                + "\",\"secret\":true},{\"name\":\"MODE\",\"value\":\"plain\"}],"
                + "\"health\":{\"type\":\"http\",\"path\":\"/health\"},\"replicas\":1}");
        // the instance is ready only if it saw the value as it was given
        Tenants.awaitRollout(app);
        Tenants.awaitLogLine(app, "checked", Duration.ofSeconds(90));
        List<String> instances = Tenants.instances(app);
        List<String> found = new ArrayList<>();
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);

        // every GET every service documents, about this app, as the platform admin (who sees everything)
        int answers = 0;
        TenantIsolationIT.Target target = new TenantIsolationIT.Target(app, t.teamA, t.devA.user(),
                instances.isEmpty() ? "none" : instances.get(0), t.devA.tokenId());
        for (OpenApi.Operation op : OpenApi.everything()) {
            if (op.changes()) {
                continue;
            }
            String path = TenantIsolationIT.path(op, target);
            Http.Request request = Http.request("GET", op.base(), path).as(TestAuth.ADMIN_TOKEN, null);
            Http.Response answer = (op.streams() || path.contains("tail") || path.contains("watch") || path.contains("events")
                    ? request.stream(2000) : request).send();
            answers++;
            if (Http.indexOf(answer.body(), needle) >= 0 || answer.headers().toString().contains(secret)) {
                found.add("answer of " + op.service() + " GET " + path);
            }
        }
        for (String page : List.of("/", "/index.html")) {
            Http.Response answer = Http.request("GET", SystemPlatform.get().consoleUrl(), page).as(TestAuth.ADMIN_TOKEN, null).send();
            answers++;
            if (answer.text().contains(secret)) {
                found.add("console page " + page);
            }
        }

        // every file the platform wrote: the services' logs, the agent's instance logs and specs, the collector's state
        int files = 0;
        try (Stream<Path> walk = Files.walk(SystemPlatform.TARGET.resolve("system"))) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                if (Files.size(file) > 200L * 1024 * 1024 || file.toString().endsWith(".sock")) {
                    continue;
                }
                files++;
                try {
                    if (Http.indexOf(Files.readAllBytes(file), needle) >= 0) {
                        found.add("file " + file);
                    }
                } catch (IOException gone) {
                    // a file that went away while walking
                }
            }
        }

        long records = kafkaRecordsWith(needle, found);
        long[] documents = elasticsearchWith(secret, found);

        // PostgreSQL: the release row holds it sealed
        String row = psql("select spec from deploy_system_test.release where app = '" + app + "' and version = 1");
        System.out.printf("secret searched in %d answers, %d files, %d Kafka records, %d Elasticsearch documents "
                + "(scanned; %d indices searched); found in: %s%n", answers, files, records, documents[0], documents[1], found);
        assertTrue(found.isEmpty(), "the secret leaked into: " + found);
        assertTrue(!row.contains(secret) && row.contains("enc:v1:" + SystemPlatform.SECRETS_KEY_ID + ":"),
                "the stored release does not hold the secret sealed: " + row);
    }

    /** Every record of every topic, from the beginning. */
    static long kafkaRecordsWith(byte[] needle, List<String> found) throws Exception {
        long count = 0;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SystemPlatform.KAFKA));
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SystemPlatform.KAFKA, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (var topic : admin.describeTopics(admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(false))
                    .names().get()).allTopicNames().get().values()) {
                topic.partitions().forEach(p -> partitions.add(new TopicPartition(topic.name(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertTrue(System.nanoTime() < deadline, "Kafka not read to its end in 3 minutes");
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    count++;
                    if ((record.value() != null && Http.indexOf(record.value(), needle) >= 0)
                            || (record.key() != null && Http.indexOf(record.key(), needle) >= 0)
                            || record.headers().toString().contains(new String(needle, StandardCharsets.UTF_8))) {
                        found.add("Kafka " + record.topic() + "-" + record.partition() + "@" + record.offset());
                    }
                }
            }
            System.out.println("Kafka: " + partitions.size() + " partitions read from the beginning");
        }
        return count;
    }

    /** A search of every index for the value, and a scan of every document of every index but the bench's giants. */
    static long[] elasticsearchWith(String secret, List<String> found) throws Exception {
        Http.Response search = Http.request("POST", ES, "/*/_search?expand_wildcards=all&size=10")
                .body("{\"query\":{\"query_string\":{\"query\":\"\\\"" + secret + "\\\"\",\"default_field\":\"*\",\"lenient\":true}}}").send();
        assertEquals(200, search.status(), search.toString());
        if (search.json().path("hits").path("total").path("value").asLong() > 0 || search.text().contains(secret)) {
            found.add("Elasticsearch search: " + search);
        }
        long scanned = 0;
        Http.Response indices = Http.request("GET", ES, "/_cat/indices?format=json&h=index,docs.count&expand_wildcards=all").send();
        int searched = indices.json().size();
        for (JsonNode index : indices.json()) {
            long docs = index.path("docs.count").asLong();
            String name = index.path("index").asText();
            if (docs > 500_000) {
                System.out.println("Elasticsearch: " + name + " (" + docs + " documents) searched, not scanned");
                continue;
            }
            Http.Response page = Http.request("POST", ES, "/" + name + "/_search?scroll=1m&size=5000")
                    .body("{\"query\":{\"match_all\":{}}}").send();
            while (page.status() == 200) {
                JsonNode hits = page.json().path("hits").path("hits");
                if (hits.isEmpty()) {
                    break;
                }
                scanned += hits.size();
                if (page.text().contains(secret)) {
                    found.add("Elasticsearch index " + name);
                }
                String scroll = page.json().path("_scroll_id").asText();
                page = Http.request("POST", ES, "/_search/scroll").body("{\"scroll\":\"1m\",\"scroll_id\":\"" + scroll + "\"}").send();
            }
        }
        return new long[] {scanned, searched};
    }

    static String psql(String sql) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "berth", "-d", "berth_test", "-tAc", sql)
                .redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", System.getenv().getOrDefault("BERTH_POSTGRES_PASSWORD", "berth"));
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);
        return out;
    }
}

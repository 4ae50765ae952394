package io.berth.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.berth.docs.DocBlocks.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command in the docs is run by a test or marked as not runnable here with the reason (issue 9).
 * The rules are in {@link DocBlocks}. The blocks marked {@code <!-- run: DocCommandsTest -->} are run
 * here, page by page: a page's blocks in order as one bash script ({@code set -euo pipefail}), with the
 * variables its first block defaults (DB, APP, BERTH_HOME, ...) pointed at a sandbox: the database
 * {@code berth_docs_test}, the topic {@code berth.logs.docs-test}, indices {@code berth-docs-test-logs-*},
 * a consumer group {@code berth-docs-test-indexer}, a temporary BERTH_HOME. Everything is on loopback,
 * takes seconds, and is removed afterwards. It needs only what {@code bin/berth-dev infra-up} starts
 * (PostgreSQL, Kafka, Elasticsearch), never the Berth services.
 */
class DocCommandsTest {
    static final String SELF = DocCommandsTest.class.getSimpleName();
    /** The pages whose blocks this test runs, each by a test method below. */
    static final Set<String> SCENARIOS = Set.of(
            "docs/operations/backup-restore.md",
            "docs/operations/kafka-and-elasticsearch.md",
            "docs/operations/upgrade.md",
            "docs/operations/single-machine.md",
            "docs/security.md",
            "docs/troubleshooting.md");

    static final String DB = "berth_docs_test";
    static final String APP = "docs-test";
    static final String TOPIC = "berth.logs." + APP;
    static final String INDEX_PREFIX = "berth-docs-test-logs";
    static final String GROUP = "berth-docs-test-indexer";
    static final String ES = "http://127.0.0.1:9200";
    static final String BOOTSTRAP = "127.0.0.1:9092";

    // ---- the rules --------------------------------------------------------------------------------------

    @Test
    void everyFencedBlockHasAnInfoString() throws IOException {
        List<String> bare = DocBlocks.all().stream().filter(b -> b.info().isEmpty()).map(Block::where).toList();
        assertEquals(List.of(), bare, "fenced blocks without an info string (sh/bash for commands, text, yaml, json, ...): "
                + "a command must not hide in one");
    }

    @Test
    void everyCommandBlockIsRunOrMarkedNotRunnableWithAReason() throws IOException {
        List<String> unmarked = new ArrayList<>();
        int run = 0;
        int notRunnable = 0;
        for (Block b : DocBlocks.all()) {
            if (!b.isCommand()) {
                continue;
            }
            if (b.runBy() != null) {
                run++;
            } else if (b.notRunnableReason() != null && b.notRunnableReason().split("\\s+").length >= 3) {
                notRunnable++;
            } else {
                unmarked.add(b.where() + (b.marker() == null ? "" : " (marker: " + b.marker() + ")"));
            }
        }
        assertEquals(List.of(), unmarked, "command blocks need <!-- run: <Test> --> or <!-- not runnable here: <reason> --> "
                + "on the line before them (a reason of three words at least)");
        System.out.printf("command blocks: %d run by tests, %d marked not runnable here%n", run, notRunnable);
        assertTrue(run > 0);
    }

    /** A block run by another test: that test exists and names the page. */
    @Test
    void blocksRunByOtherTestsNameAnExistingTestThatReadsThePage() throws IOException {
        for (Block b : DocBlocks.all()) {
            String test = b.runBy();
            if (test == null || test.equals(SELF)) {
                continue;
            }
            List<Path> sources;
            try (Stream<Path> walk = Stream.concat(Files.walk(Repo.path("tests")), Files.walk(Repo.path("services")))) {
                sources = walk.filter(p -> p.getFileName().toString().equals(test + ".java")).toList();
            }
            assertEquals(1, sources.size(), b.where() + ": the test " + test + " exists (once) under tests/ or services/");
            assertTrue(Files.readString(sources.get(0)).contains(b.page()), b.where() + ": " + test + " names " + b.page());
        }
    }

    @Test
    void thePagesThisTestRunsAreExactlyThoseWithItsMarker() throws IOException {
        Set<String> marked = DocBlocks.all().stream().filter(b -> SELF.equals(b.runBy())).map(Block::page)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(SCENARIOS), marked, "a page with <!-- run: DocCommandsTest --> blocks needs a test method here");
    }

    // ---- the pages ------------------------------------------------------------------------------------

    /**
     * pg_dump of the three schemas, the key files into a tarball, the database dropped and restored with
     * pg_restore, the key files back: every table has the rows it had.
     */
    @Test
    void backupAndRestore(@TempDir Path tmp) throws Exception {
        Path home = fakeBerthHome(tmp.resolve("home"));
        Path backups = Files.createDirectories(tmp.resolve("backups"));
        String kafka = kafka();
        List<String> directories = List.of("berth.docs-test.identity", "berth.docs-test.app-owners");
        try {
            for (String topic : directories) {
                freshTopic(topic, "--partitions 1 --config cleanup.policy=compact", tmp);
            }
            createScratchDatabase();
            Map<String, Long> before = rowCounts();
            assertTrue(before.values().stream().mapToLong(Long::longValue).sum() >= 4, "the scratch database has rows: " + before);
            Map<String, String> keysBefore = files(home, "admin-token", "service-token", "secrets-keys", "run/dns/berth-registrar.key");

            String out = runPage("docs/operations/backup-restore.md", Map.of("DB", DB, "BERTH_HOME", home.toString(),
                    "BACKUP_DIR", backups.toString(), "KAFKA_LIB", kafkaLib().toString(),
                    "DIRECTORY_TOPICS", String.join(" ", directories)), tmp);

            assertEquals(before, rowCounts(), "every table of deploy, autoscaler and identity has its rows again\n" + out);
            assertEquals(keysBefore, files(home, "admin-token", "service-token", "secrets-keys", "run/dns/berth-registrar.key"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("secrets-keys"))),
                    "the key ring keeps its mode");
            try (Stream<Path> made = Files.list(backups)) {
                assertEquals(2, made.count(), "one dump and one tarball of key files in the backup directory");
            }
            String topics = sh(kafka + " org.apache.kafka.tools.TopicCommand --bootstrap-server " + BOOTSTRAP + " --list", Map.of(), tmp);
            for (String topic : directories) {
                assertFalse(topics.lines().anyMatch(topic::equals), topic + " is deleted (or marked for deletion)\n" + topics);
            }
        } finally {
            sh("dropdb --if-exists " + DB, Map.of(), tmp);
            for (String topic : directories) {
                shQuietly(kafka + " org.apache.kafka.tools.TopicCommand --bootstrap-server " + BOOTSTRAP + " --delete --if-exists --topic "
                        + topic, tmp);
            }
        }
    }

    /**
     * A log topic's partitions raised and its retention changed, the indexer's group rewound, indices
     * listed and one day deleted by hand, on scratch names.
     */
    @Test
    void kafkaAndElasticsearch(@TempDir Path tmp) throws Exception {
        String kafka = kafka();
        String oldDay = day(LocalDate.now(ZoneOffset.UTC).minusDays(30));
        String today = day(LocalDate.now(ZoneOffset.UTC));
        try {
            freshTopic(TOPIC, "--partitions 3 --config retention.ms=604800000", tmp);
            for (String d : List.of(oldDay, today)) {
                sh("curl -sf -X PUT -H 'Content-Type: application/json' -d '{\"settings\":{\"number_of_replicas\":0}}' "
                        + ES + "/" + INDEX_PREFIX + "-" + APP + "-" + d + " > /dev/null", Map.of(), tmp);
            }

            String out = runPage("docs/operations/kafka-and-elasticsearch.md", Map.of("BERTH_HOME", berthHome(), "APP", APP,
                    "INDEX_PREFIX", INDEX_PREFIX, "GROUP", GROUP, "OLD_DAY", oldDay), tmp);

            String described = sh(kafka + " org.apache.kafka.tools.TopicCommand --bootstrap-server " + BOOTSTRAP
                    + " --describe --topic " + TOPIC, Map.of(), tmp);
            assertTrue(described.contains("PartitionCount: 6"), "the topic has 6 partitions\n" + described + "\n" + out);
            String configs = sh(kafka + " kafka.admin.ConfigCommand --bootstrap-server " + BOOTSTRAP
                    + " --entity-type topics --entity-name " + TOPIC + " --describe", Map.of(), tmp);
            assertTrue(configs.contains("retention.ms=1209600000"), "retention is 14 days\n" + configs);
            String group = sh(kafka + " org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server " + BOOTSTRAP
                    + " --describe --group " + GROUP, Map.of(), tmp);
            assertEquals(6, group.lines().filter(l -> l.startsWith(GROUP + " ") && l.contains(TOPIC)).count(),
                    "the group has an offset on each partition\n" + group);
            String indices = sh("curl -sf '" + ES + "/_cat/indices/" + INDEX_PREFIX + "-*?h=index'", Map.of(), tmp);
            assertEquals(Set.of(INDEX_PREFIX + "-" + APP + "-" + today), Set.copyOf(indices.lines().map(String::strip).toList()),
                    "the old day's index is gone, today's is kept\n" + out);
        } finally {
            shQuietly(kafka + " org.apache.kafka.tools.TopicCommand --bootstrap-server " + BOOTSTRAP + " --delete --if-exists --topic "
                    + TOPIC, tmp);
            shQuietly(kafka + " org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server " + BOOTSTRAP
                    + " --delete --group " + GROUP, tmp);
            shQuietly("curl -s -X DELETE '" + ES + "/" + INDEX_PREFIX + "-*' > /dev/null", tmp);
        }
    }

    /** The migrations applied, read from Flyway's table; key rotation: a new key put first, then the old one dropped. */
    @Test
    void upgradeRotatesTheSecretsKeyRing(@TempDir Path tmp) throws Exception {
        Path home = fakeBerthHome(tmp.resolve("home"));
        String old = Files.readString(home.resolve("secrets-keys")).strip();
        String out;
        try {
            createScratchDatabase();
            out = runPage("docs/operations/upgrade.md", Map.of("DB", DB, "BERTH_HOME", home.toString()), tmp);
        } finally {
            sh("dropdb --if-exists " + DB, Map.of(), tmp);
        }
        assertTrue(out.contains("apps") && out.contains("canary"), "deploy's migrations are listed\n" + out);

        List<String> ring = Files.readAllLines(home.resolve("secrets-keys"));
        assertEquals(1, ring.size(), "one key left\n" + out);
        assertFalse(ring.get(0).equals(old), "the new key, not the old one");
        assertTrue(ring.get(0).matches("[A-Za-z0-9_-]+:[A-Za-z0-9+/=]+"), ring.get(0));
        assertEquals(32, Base64.getDecoder().decode(ring.get(0).substring(ring.get(0).indexOf(':') + 1)).length, "a 32-byte key");
        assertTrue(out.contains("2 keys, the first seals:"), "the page's check printed the ring with both keys\n" + out);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("secrets-keys"))));
    }

    @Test
    void singleMachine(@TempDir Path tmp) throws Exception {
        String out = runPage("docs/operations/single-machine.md", Map.of("BERTH_HOME", berthHome()), Repo.ROOT);
        assertTrue(out.contains("Usage: bin/berth-dev <command>"), out);
    }

    @Test
    void security(@TempDir Path tmp) throws Exception {
        Path home = fakeBerthHome(tmp.resolve("home"));
        String out = runPage("docs/security.md", Map.of("BERTH_HOME", home.toString()), tmp);
        String token = Files.readString(home.resolve("admin-token")).strip();
        String hash = sh("printf '%s' '" + token + "' | sha256sum | cut -d' ' -f1", Map.of(), tmp).strip();
        assertTrue(out.contains(hash), "the page prints the admin token's SHA-256\n" + out);
        assertTrue(out.contains("600 " + home.resolve("secrets-keys")), "the page lists the key files' modes\n" + out);
    }

    @Test
    void troubleshooting(@TempDir Path tmp) throws Exception {
        String out = runPage("docs/troubleshooting.md", Map.of("BERTH_HOME", berthHome()), tmp);
        assertTrue(out.contains("accepting connections"), "pg_isready\n" + out);
        assertTrue(out.contains("\"status\""), "Elasticsearch's cluster health\n" + out);
        assertTrue(out.contains("berth.deployments"), "Kafka's topic list\n" + out);
    }

    // ---- running a page -------------------------------------------------------------------------------

    /** Runs the page's blocks marked for this test, in order, as one script; returns its output. */
    static String runPage(String page, Map<String, String> sandbox, Path dir) throws Exception {
        List<Block> blocks = DocBlocks.blocks(page).stream().filter(b -> SELF.equals(b.runBy())).toList();
        assertFalse(blocks.isEmpty(), page + " has blocks for " + SELF);
        StringBuilder script = new StringBuilder();
        for (Block b : blocks) {
            script.append("echo '>>> ").append(b.where()).append("'\n").append(b.text());
        }
        return sh(script.toString(), sandbox, dir);
    }

    static String sh(String script, Map<String, String> env, Path dir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        // PostgreSQL as bin/berth-dev has it: loopback, trust auth, the superuser postgres
        pb.environment().put("PGHOST", System.getenv().getOrDefault("BERTH_POSTGRES_HOST", "127.0.0.1"));
        pb.environment().put("PGPORT", System.getenv().getOrDefault("BERTH_POSTGRES_PORT", "5432"));
        pb.environment().put("PGUSER", "postgres");
        pb.environment().putAll(env);
        // the output goes to a file, not a pipe: a command that prints more than a pipe holds (kafka-topics
        // --list of a broker with thousands of topics) would otherwise block until the timeout
        java.io.File output = java.nio.file.Files.createTempFile("doc-command-", ".out").toFile();
        pb.redirectOutput(output);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            output.delete();
            fail("did not end within 180 s:\n" + script);
        }
        String out = new String(java.nio.file.Files.readAllBytes(output.toPath()));
        output.delete();
        if (p.exitValue() != 0) {
            fail("exit " + p.exitValue() + " of:\n" + script + "\n--- output:\n" + out);
        }
        return out;
    }

    static void shQuietly(String script, Path dir) {
        try {
            sh(script, Map.of(), dir);
        } catch (Throwable ignored) {
            // clean-up of something that may not exist
        }
    }

    // ---- sandboxes ------------------------------------------------------------------------------------

    /** BERTH_HOME as bin/berth-dev chooses it (the environment's, else /var/lib/berth for root). */
    static String berthHome() {
        String env = System.getenv("BERTH_HOME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return "root".equals(System.getProperty("user.name")) ? "/var/lib/berth"
                : System.getProperty("user.home") + "/.local/share/berth";
    }

    /** The jars of Kafka that bin/berth-dev installed, which the docs run Kafka's tools from. */
    static Path kafkaLib() {
        Path lib = Path.of(berthHome(), "opt/kafka-4.1.1/lib");
        assertTrue(Files.isDirectory(lib), lib + " is missing: run bin/berth-dev infra-up");
        return lib;
    }

    /** A scratch topic made afresh: one a failed run left behind is deleted first (deletion is asynchronous). */
    static void freshTopic(String topic, String options, Path dir) throws Exception {
        String topics = kafka() + " org.apache.kafka.tools.TopicCommand --bootstrap-server " + BOOTSTRAP;
        sh(topics + " --delete --if-exists --topic " + topic + " 2>/dev/null\n"
                + "for i in $(seq 1 40); do\n"
                + "  " + topics + " --create --topic " + topic + " " + options + " --replication-factor 1 2>/dev/null && exit 0\n"
                + "  sleep 0.5\n"
                + "done\n"
                + "echo 'cannot create " + topic + "' >&2; exit 1\n", Map.of(), dir);
    }

    static String kafka() {
        return "java -XX:TieredStopAtLevel=1 -cp '" + kafkaLib() + "/*'";
    }

    /** A BERTH_HOME with key files like bin/berth-dev's (made up, mode 0600). */
    static Path fakeBerthHome(Path home) throws Exception {
        Files.createDirectories(home.resolve("run/dns"));
        sh("""
                umask 077
                printf 'berth_%s\\n' "$(openssl rand -hex 32)" > admin-token
                printf 'berth_svc_%s\\n' "$(openssl rand -hex 32)" > service-token
                printf 'k20261101:%s\\n' "$(openssl rand -base64 32)" > secrets-keys
                printf 'key "berth-registrar" {\\n\\talgorithm hmac-sha256;\\n\\tsecret "%s";\\n};\\n' "$(openssl rand -base64 32)" > run/dns/berth-registrar.key
                printf 'BERTH_HOME=%s\\n' "$PWD" > berth.env
                printf 'BERTH_SECRETS_KEYS=%s\\n' "$(cat secrets-keys)" > services.env
                """, Map.of(), home);
        return home;
    }

    static Map<String, String> files(Path home, String... names) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, Files.readString(home.resolve(n)));
        }
        return out;
    }

    /** berth_docs_test with the real Flyway migrations of deploy, autoscaler and identity, and a few rows. */
    static void createScratchDatabase() throws Exception {
        StringBuilder sql = new StringBuilder("SET ROLE berth;\n");
        for (String schema : List.of("deploy", "autoscaler", "identity")) {
            sql.append("CREATE SCHEMA ").append(schema).append(";\nSET search_path TO ").append(schema).append(";\n");
            Path migrations = Repo.path("services/" + schema + "/src/main/resources/db/migration");
            // the history table as Flyway keeps it (flyway_schema_history of Flyway 10/11), one row per script
            sql.append("""
                    CREATE TABLE flyway_schema_history (installed_rank INT PRIMARY KEY, version VARCHAR(50),
                        description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL,
                        checksum INT, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(),
                        execution_time INT NOT NULL, success BOOLEAN NOT NULL);
                    """);
            try (Stream<Path> files = Files.list(migrations)) {
                for (Path f : files.sorted((a, b) -> Integer.compare(version(a), version(b))).toList()) {
                    String name = f.getFileName().toString();
                    sql.append(Files.readString(f)).append('\n');
                    sql.append(String.format("INSERT INTO flyway_schema_history VALUES (%d, '%d', '%s', 'SQL', '%s', 0, 'berth', now(), 1, true);%n",
                            version(f), version(f), name.substring(name.indexOf("__") + 2, name.length() - 4).replace('_', ' '), name));
                }
            }
        }
        sql.append("""
                INSERT INTO deploy.app (name, team) VALUES ('shop', 'team-a'), ('blog', 'team-b');
                INSERT INTO identity.team (name, created_by) VALUES ('team-a', 'admin'), ('team-b', 'admin');
                """);
        Path file = Files.createTempFile("berth-docs-test", ".sql");
        try {
            Files.writeString(file, sql);
            sh("dropdb --if-exists " + DB + " && createdb --owner=berth " + DB
                    + " && psql -q -v ON_ERROR_STOP=1 -d " + DB + " -f '" + file + "'", Map.of(), file.getParent());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    /** schema.table to its number of rows, for every table of the three schemas. */
    static Map<String, Long> rowCounts() throws Exception {
        String tables = sh("psql -d " + DB + " -Atc \"SELECT table_schema || '.' || table_name FROM information_schema.tables"
                + " WHERE table_schema IN ('deploy', 'autoscaler', 'identity') AND table_type = 'BASE TABLE' ORDER BY 1\"",
                Map.of(), Path.of("."));
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String t : tables.lines().filter(l -> !l.isBlank()).toList()) {
            counts.put(t, Long.parseLong(sh("psql -d " + DB + " -Atc 'SELECT count(*) FROM " + t + "'", Map.of(), Path.of(".")).strip()));
        }
        assertNotNull(counts.get("deploy.app"), "deploy.app exists: " + counts);
        return counts;
    }

    static String day(LocalDate d) {
        return d.format(DateTimeFormatter.ofPattern("yyyy.MM.dd"));
    }
}

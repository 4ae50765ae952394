package io.berth.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.docs.ConfigKeys.Read;
import io.berth.docs.ConfigKeys.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/operations/configuration.md lists every {@code berth.*} key: each one a configuration file of a
 * service sets (services/common's shared microprofile-config.properties and each application.properties,
 * profile entries aside) and each one the services' code reads ({@code @ConfigProperty}, {@code ${...}}
 * expressions, {@code @ConfigMapping} interfaces), with its default, its environment variable and the
 * services that read it. The tables below the page's marker line are generated; only their last column
 * (what the key does) is written by hand, and is kept when they are generated again:
 * <pre>./mvnw -o -B -pl tests/docs test -Dtest=ConfigurationReferenceTest -Dconfig.regenerate=true</pre>
 * This test fails when the page is not what that would write (a key added, removed or given another
 * default), or when a key has no description.
 */
class ConfigurationReferenceTest {
    static final Path PAGE = Repo.path("docs/operations/configuration.md");
    static final String MARKER = "<!-- generated below by ConfigurationReferenceTest: edit only the last column -->";
    static final String REGENERATE = "./mvnw -o -B -pl tests/docs test -Dtest=ConfigurationReferenceTest -Dconfig.regenerate=true";
    static final String UNDESCRIBED = "(describe me)";
    private static final Pattern ROW = Pattern.compile("^\\| `(berth\\.[^`]+)` \\|.*\\| ([^|]*) \\|$");

    /** Section title by the key's first segment after berth.; anything else has a section of its own name. */
    static final Map<String, String> SECTIONS = new LinkedHashMap<>();

    static {
        for (String shared : List.of("http", "auth", "directory", "audit", "kafka", "postgres", "elasticsearch", "secrets")) {
            SECTIONS.put(shared, "Shared (services/common)");
        }
        SECTIONS.put("deploy", "deploy");
        SECTIONS.put("kubernetes", "deploy and registrar on Kubernetes");
        SECTIONS.put("agent", "agent");
        SECTIONS.put("home", "agent");
        SECTIONS.put("registrar", "registrar");
        SECTIONS.put("dns", "DNS registry (registrar, gateway)");
        SECTIONS.put("gateway", "gateway controller");
        SECTIONS.put("haproxy", "gateway controller: HAProxy");
        SECTIONS.put("autoscaler", "autoscaler");
        SECTIONS.put("log-collector", "log-collector");
        SECTIONS.put("logs", "log topics and indices (log-collector, log-indexer)");
        SECTIONS.put("identity", "identity");
        SECTIONS.put("console", "console");
    }

    @Test
    void thePageIsWhatTheConfigurationAndTheCodeSay() throws IOException {
        String page = Files.readString(PAGE);
        String expected = render(page);
        if (Boolean.getBoolean("config.regenerate")) {
            Files.writeString(PAGE, expected);
            System.out.println("rewrote " + PAGE);
            page = expected;
        }
        assertEquals(expected, page, "docs/operations/configuration.md is out of date; regenerate: " + REGENERATE);
    }

    @Test
    void everyKeyIsDescribed() throws IOException {
        List<String> undescribed = new ArrayList<>();
        descriptions(Files.readString(PAGE)).forEach((key, text) -> {
            if (text.isBlank() || text.contains(UNDESCRIBED)) {
                undescribed.add(key);
            }
        });
        assertEquals(List.of(), undescribed, "keys without a description in docs/operations/configuration.md");
    }

    /** The brief's rule, on its own: a key a service's application.properties sets is on the page. */
    @Test
    void everyKeyOfEveryApplicationPropertiesIsOnThePage() throws IOException {
        Set<String> onPage = descriptions(Files.readString(PAGE)).keySet();
        Set<String> missing = new TreeSet<>();
        for (Setting s : ConfigKeys.settings()) {
            if (!onPage.contains(canonical(s.key()))) {
                missing.add(s.key() + " (" + s.file() + ")");
            }
        }
        assertEquals(Set.of(), missing, "regenerate: " + REGENERATE);
        assertTrue(onPage.size() > 100, "the page lists the keys: " + onPage.size());
    }

    @Test
    void environmentVariablesFollowSmallRyeConfigsRule() {
        assertEquals("BERTH_KAFKA_BOOTSTRAP_SERVERS", ConfigKeys.envVar("berth.kafka.bootstrap-servers"));
        assertEquals("BERTH_LOG_COLLECTOR_PRODUCER_LINGER", ConfigKeys.envVar("berth.log-collector.producer.linger"));
        assertEquals("BERTH_CONSOLE_SERVICES_<SERVICE>", ConfigKeys.envVar("berth.console.services.<service>"));
    }

    // ---- rendering -----------------------------------------------------------------------------------

    /** The key as the page names it: a map's keys become {@code <service>}. */
    static String canonical(String key) {
        if (key.startsWith("berth.console.services.") || key.startsWith("berth.console.routes.")) {
            return key.substring(0, key.lastIndexOf('.') + 1) + "<service>";
        }
        return key;
    }

    static String render(String page) throws IOException {
        int at = page.indexOf(MARKER);
        assertTrue(at >= 0, "docs/operations/configuration.md has the line " + MARKER);
        String head = page.substring(0, at + MARKER.length()) + "\n";
        Map<String, String> described = descriptions(page);

        Map<String, Set<String>> modules = new TreeMap<>();
        Map<String, Map<String, Set<String>>> values = new TreeMap<>(); // key -> value -> modules setting it
        Map<String, String> codeDefaults = new TreeMap<>();
        for (Setting s : ConfigKeys.settings()) {
            String key = canonical(s.key());
            String module = ConfigKeys.moduleOf(s.file());
            modules.computeIfAbsent(key, k -> new TreeSet<>()).add(module);
            if (!key.endsWith("<service>")) {
                values.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(s.value(), v -> new TreeSet<>()).add(module);
            }
        }
        for (Read r : ConfigKeys.reads()) {
            String key = canonical(r.key().replace(".<name>", ".<service>"));
            if (r.key().endsWith(".<name>")) {
                key = r.key().replace(".<name>", ".<service>");
            }
            modules.computeIfAbsent(key, k -> new TreeSet<>()).add(r.module().replace("services/", ""));
            if (r.defaultValue() != null) {
                codeDefaults.putIfAbsent(key, r.defaultValue());
            }
        }

        Map<String, List<String>> sections = new LinkedHashMap<>();
        for (String title : new LinkedHashSet<>(SECTIONS.values())) {
            sections.put(title, new ArrayList<>());
        }
        for (String key : modules.keySet()) {
            String segment = key.split("\\.")[1];
            String title = SECTIONS.getOrDefault(segment, segment);
            String dflt = defaultCell(key, values.get(key), codeDefaults.get(key));
            Set<String> readers = key.endsWith("<service>") ? Set.of("console") : ConfigKeys.readers(key);
            String readBy = readers.isEmpty() ? "(nothing)" : readers.contains("common") ? "every service" : String.join(", ", readers);
            String text = described.getOrDefault(key, UNDESCRIBED);
            sections.computeIfAbsent(title, t -> new ArrayList<>()).add("| `" + key + "` | " + dflt + " | `" + ConfigKeys.envVar(key)
                    + "` | " + readBy + " | " + text + " |");
        }
        StringBuilder out = new StringBuilder(head);
        sections.forEach((title, rows) -> {
            if (rows.isEmpty()) {
                return;
            }
            out.append("\n## ").append(title).append("\n\n");
            out.append("| key | default | environment variable | read by | what it does |\n");
            out.append("| --- | --- | --- | --- | --- |\n");
            rows.forEach(r -> out.append(r).append('\n'));
        });
        return out.toString();
    }

    private static String defaultCell(String key, Map<String, Set<String>> values, String codeDefault) {
        if (key.equals("berth.console.services.<service>")) {
            return "`http://127.0.0.1:<port>` of each service";
        }
        if (key.equals("berth.console.routes.<service>")) {
            return "the route table below";
        }
        if (values == null) {
            return codeDefault == null ? "(unset)" : code(codeDefault);
        }
        if (values.size() == 1) {
            return code(values.keySet().iterator().next());
        }
        List<String> each = new ArrayList<>();
        values.forEach((v, mods) -> each.add(code(v) + " " + String.join(", ", mods)));
        return String.join("; ", each);
    }

    private static String code(String value) {
        return value.isEmpty() ? "(empty)" : "`" + value + "`";
    }

    /** Key to the last column of its row, from the page's generated tables. */
    static Map<String, String> descriptions(String page) {
        Map<String, String> out = new TreeMap<>();
        int at = page.indexOf(MARKER);
        if (at < 0) {
            return out;
        }
        for (String line : page.substring(at).split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.matches()) {
                out.put(m.group(1), m.group(2).strip());
            }
        }
        return out;
    }
}

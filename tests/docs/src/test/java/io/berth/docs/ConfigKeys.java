package io.berth.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every {@code berth.*} key Berth's services read: the ones their configuration files set, and the ones
 * their code names (through {@code @ConfigProperty}, {@code ${...}} expressions and {@code @ConfigMapping}
 * interfaces), each with the module(s) that read or set it and the value the files give it.
 */
final class ConfigKeys {
    /** A key as the configuration files set it (non-profile entries only). */
    record Setting(String key, String value, String file) {
    }

    /** A key as the code reads it: the module and, where the code has one, its default. */
    record Read(String key, String module, String defaultValue) {
    }

    static final List<String> CONFIG_FILES = List.of(
            "services/common/src/main/resources/META-INF/microprofile-config.properties",
            "services/console/src/main/resources/application.properties",
            "services/deploy/src/main/resources/application.properties",
            "services/registrar/src/main/resources/application.properties",
            "services/autoscaler/src/main/resources/application.properties",
            "services/log-indexer/src/main/resources/application.properties",
            "services/agent/src/main/resources/application.properties",
            "gateway/src/main/resources/application.properties",
            "services/log-collector/src/main/resources/application.properties",
            "services/identity/src/main/resources/application.properties");

    static final List<String> CODE_MODULES = List.of("services/common", "services/console", "services/deploy", "services/registrar",
            "services/autoscaler", "services/log-indexer", "services/agent", "gateway", "services/log-collector", "services/identity");

    /** The berth.* entries without a profile of every service's configuration files. */
    static List<Setting> settings() throws IOException {
        List<Setting> out = new ArrayList<>();
        for (String file : CONFIG_FILES) {
            for (String line : Files.readAllLines(Repo.path(file))) {
                String l = line.strip();
                if (l.startsWith("berth.") && l.contains("=")) {
                    int eq = l.indexOf('=');
                    out.add(new Setting(l.substring(0, eq).strip(), l.substring(eq + 1).strip().replace("\\\\", "\\"), file));
                }
            }
        }
        return out;
    }

    private static final Pattern CONFIG_PROPERTY = Pattern.compile(
            "@ConfigProperty\\(\\s*name\\s*=\\s*\"(berth\\.[^\"]+)\"(?:\\s*,\\s*defaultValue\\s*=\\s*\"([^\"]*)\")?\\s*\\)");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{(berth\\.[a-z0-9.\\-]+)(?::([^}]*))?}");
    private static final Pattern CONFIG_MAPPING = Pattern.compile("@ConfigMapping\\(\\s*prefix\\s*=\\s*\"(berth\\.[^\"]+)\"\\s*\\)");
    private static final Pattern MEMBER = Pattern.compile(
            "((?:@\\w+(?:\\([^)]*\\))?\\s+)*)([\\w.<>, ?]+?)\\s+(\\w+)\\(\\);");
    private static final Pattern INTERFACE = Pattern.compile("interface\\s+(\\w+)\\s*\\{");

    /** A key named in a {@code ${...}} of another key's value (profile entries included): {@code by} reads {@code key}. */
    record Reference(String key, String by, String module) {
    }

    static List<Reference> references() throws IOException {
        List<Reference> out = new ArrayList<>();
        for (String file : CONFIG_FILES) {
            for (String line : Files.readAllLines(Repo.path(file))) {
                String l = line.strip();
                if (l.startsWith("#") || !l.contains("=")) {
                    continue;
                }
                String lhs = l.substring(0, l.indexOf('=')).strip().replaceFirst("^%[^.]+\\.", "");
                Matcher m = EXPRESSION.matcher(l.substring(l.indexOf('=') + 1));
                while (m.find()) {
                    out.add(new Reference(m.group(1), lhs, moduleOf(file)));
                }
            }
        }
        return out;
    }

    /**
     * The modules that read a key: its code's readers, and whoever reads a key whose value names it
     * ({@code quarkus.datasource.reactive.url=...${berth.postgres.host}...} in deploy's file: deploy);
     * "common" for a key services/common reads, which every service does.
     */
    static java.util.SortedSet<String> readers(String key) throws IOException {
        if (cachedReads == null) {
            cachedReads = reads();
            cachedReferences = references();
        }
        java.util.SortedSet<String> out = new java.util.TreeSet<>();
        readers(key, cachedReads, cachedReferences, out, new java.util.HashSet<>());
        return out;
    }

    /** The sources do not change while the tests run. */
    private static List<Read> cachedReads;
    private static List<Reference> cachedReferences;

    private static void readers(String key, List<Read> reads, List<Reference> refs, java.util.SortedSet<String> out,
            java.util.Set<String> seen) {
        if (!seen.add(key)) {
            return;
        }
        for (Read r : reads) {
            if (r.key().equals(key)) {
                out.add(r.module().replace("services/", ""));
            }
        }
        for (Reference ref : refs) {
            if (ref.key().equals(key)) {
                if (ref.by().startsWith("berth.")) {
                    readers(ref.by(), reads, refs, out, seen);
                } else {
                    out.add(ref.module());
                }
            }
        }
    }

    /** Every berth.* key the main code of the service modules reads. */
    static List<Read> reads() throws IOException {
        List<Read> out = new ArrayList<>();
        for (String module : CODE_MODULES) {
            Path src = Repo.path(module).resolve("src/main/java");
            List<Path> files;
            try (Stream<Path> walk = Files.walk(src)) {
                files = walk.filter(p -> p.toString().endsWith(".java")).sorted().toList();
            }
            for (Path file : files) {
                String java = Files.readString(file);
                Matcher m = CONFIG_PROPERTY.matcher(java);
                while (m.find()) {
                    out.add(new Read(m.group(1), module, m.group(2)));
                }
                m = EXPRESSION.matcher(java);
                while (m.find()) {
                    out.add(new Read(m.group(1), module, m.group(2)));
                }
                m = CONFIG_MAPPING.matcher(java);
                if (m.find()) {
                    out.addAll(mapping(m.group(1), java, module));
                }
            }
        }
        return out;
    }

    /** The keys of a {@code @ConfigMapping} interface: each member, nested interfaces by their member's name. */
    static List<Read> mapping(String prefix, String java, String module) {
        Map<String, String> bodies = interfaceBodies(java);
        String root = bodies.values().iterator().next();
        List<Read> out = new ArrayList<>();
        walk(prefix, root, bodies, module, out);
        return out;
    }

    private static void walk(String prefix, String body, Map<String, String> bodies, String module, List<Read> out) {
        Matcher m = MEMBER.matcher(body);
        while (m.find()) {
            String annotations = m.group(1);
            String type = m.group(2).strip();
            String name = m.group(3);
            Matcher withName = Pattern.compile("@WithName\\(\"([^\"]+)\"\\)").matcher(annotations);
            String key = prefix + "." + (withName.find() ? withName.group(1) : kebab(name));
            Matcher withDefault = Pattern.compile("@WithDefault\\(\"((?:[^\"\\\\]|\\\\.)*)\"\\)").matcher(annotations);
            String dflt = withDefault.find() ? withDefault.group(1).replace("\\\\", "\\") : null;
            if (bodies.containsKey(type)) {
                walk(key, bodies.get(type), bodies, module, out);
            } else if (type.startsWith("Map<")) {
                out.add(new Read(key + ".<name>", module, dflt));
            } else {
                out.add(new Read(key, module, dflt));
            }
        }
    }

    /** Interface name to its body (without nested interfaces' bodies), the outermost first. */
    private static Map<String, String> interfaceBodies(String java) {
        Map<String, String> bodies = new LinkedHashMap<>();
        Matcher m = INTERFACE.matcher(java);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (m.find()) {
            int depth = 1;
            int i = m.end();
            while (depth > 0) {
                char c = java.charAt(i++);
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                }
            }
            spans.add(new int[] {m.end(), i - 1});
            names.add(m.group(1));
        }
        for (int k = 0; k < spans.size(); k++) {
            StringBuilder own = new StringBuilder(java.substring(spans.get(k)[0], spans.get(k)[1]));
            for (int j = spans.size() - 1; j > k; j--) {
                int[] inner = spans.get(j);
                if (inner[0] > spans.get(k)[0] && inner[1] < spans.get(k)[1]) {
                    int from = java.lastIndexOf("interface", inner[0]) - spans.get(k)[0];
                    int to = inner[1] + 1 - spans.get(k)[0];
                    own.replace(from, to, " ".repeat(to - from));
                }
            }
            // comments may hold words like "name();"
            bodies.put(names.get(k), own.toString().replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " "));
        }
        return bodies;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** The environment variable that sets a key (SmallRye Config: non-alphanumerics to _, upper case). */
    static String envVar(String key) {
        return key.replaceAll("[^A-Za-z0-9<>]", "_").toUpperCase();
    }

    /** Key (with {@code <name>} for a map's keys) to the modules that read or set it. */
    static Map<String, java.util.SortedSet<String>> all() throws IOException {
        Map<String, java.util.SortedSet<String>> keys = new TreeMap<>();
        for (Setting s : settings()) {
            keys.computeIfAbsent(s.key(), k -> new java.util.TreeSet<>()).add(moduleOf(s.file()));
        }
        for (Read r : reads()) {
            keys.computeIfAbsent(r.key(), k -> new java.util.TreeSet<>()).add(r.module().replace("services/", ""));
        }
        return keys;
    }

    static String moduleOf(String file) {
        return file.substring(0, file.indexOf("/src/")).replace("services/", "");
    }

    private ConfigKeys() {
    }
}

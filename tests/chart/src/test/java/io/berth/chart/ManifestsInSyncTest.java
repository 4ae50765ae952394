package io.berth.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import io.berth.registrar.dns.TsigKeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.TSIG;

/**
 * k8s/ is the chart rendered with its defaults, for {@code kubectl apply -k k8s/}: one file per
 * chart template, a Namespace for Berth itself, and a kustomization that lists them. This test
 * fails when they differ; {@code ./mvnw -o -pl tests/chart test -Dtest=ManifestsInSyncTest
 * -Dk8s.regenerate=true} (add {@code -am} on a fresh clone) rewrites them instead.
 *
 * <p>One value differs from the defaults: plain manifests cannot generate credentials (and keys
 * must never be committed), so the Secrets come from {@code berth-secrets}, which the
 * kustomization's secretGenerator builds from two files the operator writes (k8s/README.md).
 */
class ManifestsInSyncTest {
    static final Path K8S = Path.of(System.getProperty("berth.k8s.dir", "../../k8s")).toAbsolutePath().normalize();
    static final String SECRET = "berth-secrets";
    static final Map<String, String> K8S_VALUES = Map.of(
            "platformSecrets.existingSecret", SECRET,
            "postgresql.existingSecret", SECRET,
            "registry.dns.tsig.existingSecret", SECRET);
    private static final String HEADER = """
            # Rendered from charts/berth with its default values (Secrets from %s) by tests/chart.
            # Do not edit: change the chart, then
            #   ./mvnw -o -pl tests/chart -am test -Dtest=ManifestsInSyncTest -Dk8s.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
            """.formatted(SECRET);
    private static final Pattern SOURCE = Pattern.compile("^# Source: berth/templates/(\\S+)\\n", Pattern.MULTILINE);

    @Test
    void k8sIsTheChartsDefaultRendering() throws IOException {
        Map<String, String> expected = manifests();
        if (Boolean.getBoolean("k8s.regenerate")) {
            for (Path stale : generatedFiles()) {
                if (!expected.containsKey(stale.getFileName().toString())) {
                    Files.delete(stale);
                }
            }
            for (var file : expected.entrySet()) {
                Files.writeString(K8S.resolve(file.getKey()), file.getValue());
            }
            System.out.println("rewrote " + expected.keySet() + " in " + K8S);
        }
        Set<String> present = generatedFiles().stream().map(p -> p.getFileName().toString())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(expected.keySet()), present, "the files in k8s/ (regenerate: see this test's javadoc)");
        for (var file : expected.entrySet()) {
            assertEquals(file.getValue(), Files.readString(K8S.resolve(file.getKey())),
                    "k8s/" + file.getKey() + " differs from the chart's rendering (regenerate: see this test's javadoc)");
        }
    }

    @Test
    void k8sHoldsEveryObjectOfTheRenderingButTheGeneratedSecrets() throws IOException {
        List<HasMetadata> inK8s = new ArrayList<>();
        for (Path file : generatedFiles()) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                inK8s.addAll(Chart.parse(Files.readString(file)));
            }
        }
        Set<String> rendered = Chart.render(K8S_VALUES).objects().stream().map(ManifestsInSyncTest::id)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> applied = inK8s.stream().map(ManifestsInSyncTest::id).collect(Collectors.toCollection(TreeSet::new));
        rendered.add("Namespace/" + Chart.NAMESPACE);
        assertEquals(rendered, applied);
        Set<String> withDefaults = Chart.render().objects().stream().filter(o -> !(o instanceof Secret))
                .map(ManifestsInSyncTest::id).collect(Collectors.toCollection(TreeSet::new));
        withDefaults.add("Namespace/" + Chart.NAMESPACE);
        assertEquals(withDefaults, applied, "the same objects as the chart's defaults, the Secrets aside");
        String kustomization = Files.readString(K8S.resolve("kustomization.yaml"));
        assertTrue(kustomization.contains("name: " + SECRET), kustomization);
    }

    /**
     * The block in k8s/README.md that writes secrets.env and tsig.key, run as written (in a temporary
     * directory): it must give exactly the keys of berth-secrets that the manifests refer to, and a
     * TSIG key file the registrar reads. The block is marked {@code <!-- run: ManifestsInSyncTest -->}
     * for tests/docs' DocCommandsTest, which checks that every command block in the docs is run by a
     * test or marked not runnable.
     */
    @Test
    void theReadmesSecretFilesAreWhatTheManifestsNeed(@TempDir Path dir) throws Exception {
        String readme = Files.readString(K8S.resolve("README.md"));
        Matcher block = Pattern.compile("<!-- run: ManifestsInSyncTest -->\\n```sh\\n(# writes k8s/secrets.env.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "k8s/README.md has the block that writes the secret files");
        String script = block.group(1).replace("\ncd k8s\n", "\ncd '" + dir + "'\n");
        Process bash = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes());
        assertEquals(0, bash.waitFor(), output);

        Set<String> written = Files.readAllLines(dir.resolve("secrets.env")).stream()
                .filter(l -> l.contains("=")).map(l -> l.substring(0, l.indexOf('=')))
                .collect(Collectors.toCollection(TreeSet::new));
        written.add("tsig.key");
        Set<String> referenced = new TreeSet<>();
        Matcher ref = Pattern.compile("secretKeyRef: \\{name: \"" + SECRET + "\", key: \"([^\"]+)\"\\}").matcher(Files.readString(K8S.resolve("deployments.yaml")));
        while (ref.find()) {
            referenced.add(ref.group(1));
        }
        Matcher item = Pattern.compile("secretName: " + SECRET + "\\s+defaultMode: \\S+\\s+items:\\s+- \\{key: \"([^\"]+)\"").matcher(Files.readString(K8S.resolve("deployments.yaml")));
        while (item.find()) {
            referenced.add(item.group(1));
        }
        assertEquals(referenced, written, "secrets.env and tsig.key hold the keys the manifests read from " + SECRET);
        TSIG tsig = TsigKeyFile.read(dir.resolve("tsig.key"));
        assertNotNull(tsig);
        assertTrue(Files.readString(dir.resolve("secrets.env")).matches("(?s).*secrets-keys=k1:[A-Za-z0-9+/]{43}=\n.*"));
    }

    /** File name to content: what k8s/ must hold. */
    static Map<String, String> manifests() {
        String rendering = Chart.template(K8S_VALUES);
        Map<String, List<String>> documentsBySource = new LinkedHashMap<>();
        for (String document : rendering.split("(?m)^---\\s*\\n")) {
            Matcher m = SOURCE.matcher(document);
            if (m.find()) {
                documentsBySource.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(document.substring(m.end()).stripTrailing() + "\n");
            }
        }
        Map<String, String> files = new TreeMap<>();
        files.put("namespace-berth.yaml", HEADER + """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                  labels:
                    app.kubernetes.io/part-of: berth
                """.formatted(Chart.NAMESPACE));
        documentsBySource.forEach((source, documents) -> files.put(source, HEADER + String.join("---\n", documents)));
        StringBuilder kustomization = new StringBuilder(HEADER).append("""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                """);
        files.keySet().forEach(f -> kustomization.append("  - ").append(f).append('\n'));
        kustomization.append("""
                # the platform's credentials, from two files you write and never commit (README.md beside this file)
                secretGenerator:
                  - name: %s
                    namespace: %s
                    envs: [secrets.env]
                    files: [tsig.key]
                generatorOptions:
                  disableNameSuffixHash: true
                """.formatted(SECRET, Chart.NAMESPACE));
        files.put("kustomization.yaml", kustomization.toString());
        return files;
    }

    private static List<Path> generatedFiles() throws IOException {
        try (Stream<Path> files = Files.list(K8S)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static String id(HasMetadata o) {
        return o.getKind() + "/" + (o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace() + "/")
                + o.getMetadata().getName();
    }
}

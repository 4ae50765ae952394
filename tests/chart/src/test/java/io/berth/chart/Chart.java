package io.berth.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** charts/berth rendered through helm-java (Helm as a library: no binary) and read back with the fabric8 model. */
final class Chart {
    static final String RELEASE = "berth";
    static final String NAMESPACE = "berth";
    static final Path DIR = Path.of(System.getProperty("berth.chart.dir", "../../charts/berth")).toAbsolutePath().normalize();
    static final Path REPO = Path.of(System.getProperty("berth.repo.dir", "../..")).toAbsolutePath().normalize();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static ApiServer lookupCluster;

    private Chart() {
    }

    static Helm helm() {
        return new Helm(DIR);
    }

    /**
     * The API server Helm's {@code lookup} asks (the chart reads back the credentials it generated
     * before). helm-java's template, unlike the helm binary's, asks a real server, found through
     * KUBECONFIG: the POM points that at a file this writes, naming a mock API server.
     */
    static synchronized ApiServer lookupCluster() {
        if (lookupCluster == null) {
            lookupCluster = new ApiServer();
            String kubeconfig = System.getenv("KUBECONFIG");
            if (kubeconfig == null) {
                throw new IllegalStateException("KUBECONFIG is not set: run the tests through Maven (tests/chart/pom.xml sets it)");
            }
            try {
                Files.writeString(Path.of(kubeconfig), """
                        apiVersion: v1
                        kind: Config
                        clusters:
                          - name: mock
                            cluster: {server: "%s"}
                        users:
                          - name: helm
                            user: {token: helm}
                        contexts:
                          - name: mock
                            context: {cluster: mock, user: helm, namespace: %s}
                        current-context: mock
                        """.formatted(lookupCluster.url().replaceAll("/$", ""), NAMESPACE));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lookupCluster;
    }

    /** {@code helm template berth charts/berth -n berth --set k=v ...}; a refused value is an exception. */
    static String template(Map<String, ?> sets) {
        lookupCluster();
        TemplateCommand command = helm().template().withName(RELEASE).withNamespace(NAMESPACE);
        sets.forEach(command::set);
        return command.call();
    }

    static Rendering render(Map<String, ?> sets) {
        return new Rendering(parse(template(sets)));
    }

    static Rendering render() {
        return render(Map.of());
    }

    /** Every YAML document of a rendering as its fabric8 model object. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            boolean empty = document.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
            if (!empty) {
                objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
            }
        }
        return objects;
    }

    /** A rendering's objects, looked up by kind and name. */
    record Rendering(List<HasMetadata> objects) {
        <T extends HasMetadata> List<T> all(Class<T> kind) {
            return objects.stream().filter(kind::isInstance).map(kind::cast).toList();
        }

        <T extends HasMetadata> Optional<T> find(Class<T> kind, String name) {
            return all(kind).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
        }

        <T extends HasMetadata> T get(Class<T> kind, String name) {
            return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name
                    + " in the rendering; there are " + objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
        }
    }
}

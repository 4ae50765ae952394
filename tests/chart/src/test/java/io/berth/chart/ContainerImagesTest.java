package io.berth.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * bin/berth-images builds the images the chart runs: the same references, each exposing the port
 * the chart gives its container, the gateway's with the HAProxy the chart runs beside it, all for
 * the chart's user. The script is asked with {@code --dry-run}, which prints the engine's commands
 * without needing one: the project's machines have no working container engine and no registry, so
 * no image is built here, and docker/Dockerfile.jvm is read rather than run.
 */
class ContainerImagesTest {
    private static final Path SCRIPT = Chart.REPO.resolve("bin/berth-images");
    private static final Path DOCKERFILE = Chart.REPO.resolve("docker/Dockerfile.jvm");
    private static final Pattern STAGE = Pattern.compile("(?m)^FROM (\\S+) AS (\\S+)$");

    /** One {@code docker build} the script would run. */
    record Build(String image, String module, Map<String, String> args) {
    }

    /** A container of the rendering and the pod it is in. */
    record Placement(PodSpec pod, Container container) {
    }

    @Test
    void theScriptBuildsExactlyTheImagesTheChartRunsByDefault() {
        Map<String, Placement> chart = berthImages(Chart.render());
        assertEquals(new TreeSet<>(chart.keySet()), new TreeSet<>(builds().stream().map(Build::image).toList()),
                "bin/berth-images build (left: what the chart runs, the official HAProxy image aside)");
    }

    @Test
    void theScriptNamesImagesAsTheChartDoesForARegistryAndTag() {
        String registry = "registry.example.com:5000/platform";
        String tag = "1.2.3";
        Map<String, Placement> chart = berthImages(Chart.render(Map.of("image.registry", registry, "image.tag", tag)));
        String[] options = {"--registry", registry, "--tag", tag};
        assertEquals(new TreeSet<>(chart.keySet()), new TreeSet<>(builds(options).stream().map(Build::image).toList()), "build");
        assertEquals(new TreeSet<>(chart.keySet()), new TreeSet<>(pushes(options)), "push");
    }

    @Test
    void eachImageExposesThePortTheChartRunsItOnAndTheServiceListensOn() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertTrue(dockerfile.contains("\nARG PORT\n") && dockerfile.contains("\nEXPOSE ${PORT}\n"),
                "docker/Dockerfile.jvm exposes the PORT build argument");
        Map<String, Placement> chart = berthImages(Chart.render());
        for (Build build : builds()) {
            Container container = chart.get(build.image()).container();
            int chartPort = container.getPorts().stream().filter(p -> "http".equals(p.getName()))
                    .map(ContainerPort::getContainerPort).findFirst().orElseThrow();
            assertEquals(String.valueOf(chartPort), build.args().get("PORT"), build.image() + ": EXPOSE and the chart's containerPort");
            assertEquals(String.valueOf(chartPort), httpPort(build.module()),
                    build.image() + ": the chart's containerPort and berth.http.port in " + build.module());
        }
    }

    /**
     * The gateway controller checks its configuration with {@code haproxy -c}: its image, and no
     * other, starts from the Dockerfile's stage that has HAProxy, from the repository and minor line
     * of the HAProxy the chart runs beside it.
     */
    @Test
    void theImageBesideHaproxyHasHaproxyOfTheSameLine() throws IOException {
        Chart.Rendering rendering = Chart.render();
        Map<String, Placement> chart = berthImages(rendering);
        Map<String, String> stages = new HashMap<>();
        Matcher stage = STAGE.matcher(Files.readString(DOCKERFILE));
        while (stage.find()) {
            stages.put(stage.group(2), stage.group(1));
        }
        String[] chartHaproxy = splitImage(haproxyImage(rendering));
        List<String> withHaproxy = new ArrayList<>();
        for (Build build : builds()) {
            String base = build.args().get("BASE");
            assertTrue(stages.containsKey(base), build.image() + " starts from stage " + base + ", which docker/Dockerfile.jvm lacks: " + stages);
            String[] baseImage = splitImage(stages.get(base));
            boolean besideHaproxy = chart.get(build.image()).pod().getContainers().stream()
                    .anyMatch(c -> c.getCommand() != null && !c.getCommand().isEmpty() && c.getCommand().get(0).equals("haproxy"));
            assertEquals(besideHaproxy, baseImage[0].equals(chartHaproxy[0]), build.image() + (besideHaproxy ? " runs" : " does not run")
                    + " beside HAProxy in the chart, and its image starts from " + stages.get(base));
            if (besideHaproxy) {
                withHaproxy.add(build.image());
                assertTrue(baseImage[1].startsWith(chartHaproxy[1] + "."),
                        "the controller's HAProxy " + baseImage[1] + " is of the chart's line " + chartHaproxy[1]);
            }
        }
        assertEquals(1, withHaproxy.size(), "one image has HAProxy, the gateway controller's: " + withHaproxy);
    }

    /** The files are the user's whatever umask Maven wrote them with, so it must be the user the chart runs them as. */
    @Test
    void theImageRunsAsTheChartsUser() throws IOException {
        PodSecurityContext context = RenderedObjectsTest.podOf(Chart.render(), "deploy").getSecurityContext();
        String chartUser = context.getRunAsUser() + ":" + context.getRunAsGroup();
        String dockerfile = Files.readString(DOCKERFILE);
        Matcher user = Pattern.compile("(?m)^USER (\\S+)$|--chown=(\\S+)").matcher(dockerfile);
        int found = 0;
        while (user.find()) {
            assertEquals(chartUser, user.group(1) != null ? user.group(1) : user.group(2), user.group());
            found++;
        }
        assertTrue(found > 1, "docker/Dockerfile.jvm sets USER and owns the files it copies");
    }

    /** The rendering's images that are Berth's (every one but HAProxy's official image), each with where it runs. */
    static Map<String, Placement> berthImages(Chart.Rendering rendering) {
        String haproxy = haproxyImage(rendering);
        Map<String, Placement> images = new TreeMap<>();
        Stream.concat(rendering.all(Deployment.class).stream().map(d -> d.getSpec().getTemplate().getSpec()),
                rendering.all(DaemonSet.class).stream().map(d -> d.getSpec().getTemplate().getSpec())).forEach(pod -> {
                    for (Container c : Stream.concat(pod.getContainers().stream(), pod.getInitContainers().stream()).toList()) {
                        if (!c.getImage().equals(haproxy)) {
                            assertNull(images.put(c.getImage(), new Placement(pod, c)), c.getImage() + " runs in two containers");
                        }
                    }
                });
        assertFalse(images.isEmpty());
        return images;
    }

    private static String haproxyImage(Chart.Rendering rendering) {
        return RenderedObjectsTest.container(RenderedObjectsTest.podOf(rendering, "gateway"), "haproxy").getImage();
    }

    /** Repository (with Docker Hub's implicit docker.io/library/ spelled out) and tag. */
    private static String[] splitImage(String image) {
        int colon = image.lastIndexOf(':');
        String repository = image.substring(0, colon);
        if (!repository.contains("/")) {
            repository = "docker.io/library/" + repository;
        }
        return new String[] {repository, image.substring(colon + 1)};
    }

    private static String httpPort(String module) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Chart.REPO.resolve(module).resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("berth.http.port");
    }

    static List<Build> builds(String... options) {
        List<Build> builds = new ArrayList<>();
        for (String line : dryRun("build", options)) {
            if (line.startsWith("docker build ")) {
                builds.add(parseBuild(line));
            }
        }
        assertFalse(builds.isEmpty(), "bin/berth-images build --dry-run prints docker build commands");
        return builds;
    }

    static List<String> pushes(String... options) {
        return dryRun("push", options).stream().filter(l -> l.startsWith("docker push "))
                .map(l -> l.substring("docker push ".length())).toList();
    }

    /** {@code docker build -f <file> --build-arg K=V ... -t <image> <module>/target/quarkus-app}, as the script prints it. */
    private static Build parseBuild(String line) {
        String[] words = line.split(" ");
        String image = null;
        Map<String, String> args = new TreeMap<>();
        for (int i = 0; i < words.length - 1; i++) {
            if (words[i].equals("-t")) {
                image = words[i + 1];
            } else if (words[i].equals("--build-arg")) {
                String[] arg = words[i + 1].split("=", 2);
                args.put(arg[0], arg[1]);
            }
        }
        String context = words[words.length - 1];
        assertNotNull(image, line);
        assertTrue(context.endsWith("/target/quarkus-app"), "the build context is a module's fast-jar: " + line);
        return new Build(image, context.substring(0, context.length() - "/target/quarkus-app".length()), args);
    }

    private static List<String> dryRun(String command, String... options) {
        List<String> argv = new ArrayList<>(List.of("bash", SCRIPT.toString(), command, "--dry-run", "--engine", "docker"));
        argv.addAll(List.of(options));
        try {
            Process script = new ProcessBuilder(argv).directory(Chart.REPO.toFile()).redirectErrorStream(true).start();
            String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, script.waitFor(), String.join(" ", argv) + ":\n" + output);
            return output.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

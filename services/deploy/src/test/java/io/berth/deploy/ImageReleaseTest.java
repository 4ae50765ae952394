package io.berth.deploy;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.berth.deploy.DeployApi.awaitJson;
import static io.berth.deploy.DeployApi.awaitRollout;
import static io.berth.deploy.DeployApi.newApp;
import static io.berth.deploy.DeployApi.release;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An {@code image} release as a user makes one: the sample built into an image here (FROM Berth's base
 * image), pushed under two tags to the loopback registry bin/berth-dev runs, its local copies removed,
 * then released, rolled, scaled and rolled back through the deploy service on the agent's container
 * runtime, which pulls it with the team's credentials. Needs root, podman, the base image and the
 * registry: {@code bin/berth-dev infra-up}.
 */
@QuarkusTest
@QuarkusTestResource(value = ContainerAgent.class, restrictToAnnotatedClass = true)
class ImageReleaseTest {
    static final String REGISTRY = System.getenv().getOrDefault("BERTH_REGISTRY_ADDRESS", "127.0.0.1:5000");
    static final String USER = System.getenv("BERTH_REGISTRY_USERNAME");
    static final String PASSWORD = System.getenv("BERTH_REGISTRY_PASSWORD");
    static final String WRONG_PASSWORD = "wrong-" + UUID.randomUUID();
    static final String REPOSITORY = REGISTRY + "/image-test-" + UUID.randomUUID().toString().substring(0, 8) + "/hello";
    static final Path AGENT_LOG = Path.of("target/agent-containers.log");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static List<String> podman(String... args) {
        List<String> argv = new ArrayList<>(List.of("podman", "--runtime", "/usr/sbin/runc", "--cgroup-manager=cgroupfs",
                "--events-backend=file", "--network-backend", "netavark"));
        argv.addAll(List.of(args));
        return argv;
    }

    static String run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(argv.get(argv.indexOf("netavark") + 1) + " failed: " + out);
        }
        return out;
    }

    @BeforeAll
    static void buildAndPush() throws Exception {
        assumeTrue(USER != null && PASSWORD != null, "BERTH_REGISTRY_* not set: run bin/berth-dev infra-up and source berth.env");
        Path context = Files.createTempDirectory("image-release");
        Files.copy(DeployFlowTest.HELLO_JAR, context.resolve("hello.jar"));
        Files.writeString(context.resolve("Containerfile"), String.join("\n",
                "FROM localhost/berth-base:bookworm-1",
                "COPY hello.jar /app/hello.jar",
                "ENV JAVA_TOOL_OPTIONS=\"-Xmx32m -XX:TieredStopAtLevel=1\"",
                "CMD [\"java\", \"-jar\", \"/app/hello.jar\"]", ""));
        // the credentials go to podman in a file, as the agent gives them, never on a command line
        Path auth = context.resolve("auth.json");
        Files.createFile(auth, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(auth, "{\"auths\":{\"" + REGISTRY + "\":{\"auth\":\"" + Base64.getEncoder()
                .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        run(podman("build", "--quiet", "--tag", REPOSITORY + ":v1", "--file", context.resolve("Containerfile").toString(),
                context.toString()));
        for (String tag : List.of("v2", "v3")) {
            run(podman("tag", REPOSITORY + ":v1", REPOSITORY + ":" + tag));
        }
        for (String tag : List.of("v1", "v2", "v3")) {
            run(podman("push", "--quiet", "--tls-verify=false", "--authfile", auth.toString(), REPOSITORY + ":" + tag));
        }
        // the agent must pull them
        run(podman("rmi", REPOSITORY + ":v1", REPOSITORY + ":v2", REPOSITORY + ":v3"));
        Files.delete(auth);
    }

    @AfterAll
    static void removeImages() throws Exception {
        // the agent removes its containers when it stops (stop-instances-on-shutdown); the pulled images go here
        for (String tag : List.of("v1", "v2", "v3")) {
            new ProcessBuilder(podman("rmi", "--force", REPOSITORY + ":" + tag)).start().waitFor();
        }
    }

    static Map<String, Object> image(String tag, int replicas, int deadlineSeconds) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("image", REPOSITORY + ":" + tag);
        spec.put("health", Map.of("type", "http", "path", "/health"));
        spec.put("replicas", replicas);
        spec.put("resources", Map.of("memoryMiB", 128, "cpuMillis", 500));
        spec.put("strategy", Map.of("maxSurge", 1, "maxUnavailable", 0, "gracePeriodSeconds", 5,
                "progressDeadlineSeconds", deadlineSeconds));
        return spec;
    }

    List<Map<String, Object>> awaitServing(String app, int n, int release) throws Exception {
        return awaitServing(app, n, release, "findAll { !it.terminating }");
    }

    /** {@code n} instances of {@code release} Ready and answering, and no other instance among those {@code query} picks. */
    List<Map<String, Object>> awaitServing(String app, int n, int release, String query) throws Exception {
        List<Map<String, Object>> instances = awaitJson("/api/apps/" + app + "/instances", j -> {
            List<Map<String, Object>> list = j.getList(query);
            return list.size() == n && list.stream().allMatch(i -> Boolean.TRUE.equals(i.get("ready"))
                    && ((Number) i.get("release")).intValue() == release);
        }, Duration.ofSeconds(120)).getList(query);
        for (Map<String, Object> instance : instances) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + instance.get("host") + ":" + instance.get("port") + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(Integer.toString(release), answer.headers().firstValue("X-Berth-Release").orElse(""));
            assertTrue(answer.body().startsWith("hello from app=" + app + " release=" + release), answer.body());
            assertTrue(((String) instance.get("host")).startsWith("10.89."), "in a container: " + instance);
        }
        return instances;
    }

    void storeCredentials(String password, int status) {
        asAdmin().contentType(ContentType.JSON).body(Map.of("username", USER, "password", password))
                .put("/api/teams/team-a/registries/" + REGISTRY).then().statusCode(status)
                .body("server", equalTo(REGISTRY)).body("username", equalTo(USER));
    }

    @Test
    void anImageReleaseDeploysRollsScalesAndRollsBackPulledWithTheTeamsCredentials() throws Exception {
        String app = newApp("image");
        asAdmin().delete("/api/teams/team-a/registries/" + REGISTRY);
        storeCredentials(PASSWORD, 201);
        String listed = asAdmin().get("/api/teams/team-a/registries").then().statusCode(200).extract().asString();
        assertTrue(listed.contains(REGISTRY) && !listed.contains(PASSWORD), listed);

        assertEquals(1, release(app, image("v1", 1, 120)));
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(120));
        awaitServing(app, 1, 1);

        assertEquals(2, release(app, image("v2", 1, 120)));
        awaitRollout(app, 2, "COMPLETED", Duration.ofSeconds(120));
        awaitServing(app, 1, 2);

        asAdmin().contentType(ContentType.JSON).body(Map.of("replicas", 3)).post("/api/apps/" + app + "/scale")
                .then().statusCode(200);
        awaitServing(app, 3, 2);

        asAdmin().contentType(ContentType.JSON).body(Map.of("release", 1)).post("/api/apps/" + app + "/rollback")
                .then().statusCode(202).body("toRelease", equalTo(1));
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(120));
        awaitServing(app, 3, 1);

        // a wrong password: the pull is refused, the start fails saying so, and release 1 keeps serving
        storeCredentials(WRONG_PASSWORD, 200);
        assertEquals(3, release(app, image("v3", 3, 30)));
        String reason = awaitJson("/api/apps/" + app + "/instances", j -> j.getList("findAll { it.release == 3 && it.reason != null }"
                ).stream().anyMatch(i -> String.valueOf(((Map<?, ?>) i).get("reason")).contains("refused")),
                Duration.ofSeconds(60)).getString("find { it.release == 3 && it.reason != null }.reason");
        assertTrue(reason.contains("cannot pull image " + REPOSITORY + ":v3: the registry refused the pull"), reason);
        // beside the failing instance of release 3, until the rollout's deadline ends it
        awaitServing(app, 3, 1, "findAll { !it.terminating && it.release == 1 }");

        for (String secret : List.of(PASSWORD, WRONG_PASSWORD)) {
            String agentLog = Files.readString(AGENT_LOG);
            assertFalse(agentLog.contains(secret), "the agent's log holds a registry password");
            for (String path : List.of("/api/teams/team-a/registries", "/api/apps/" + app + "/instances",
                    "/api/apps/" + app + "/releases", "/api/apps/" + app + "/rollouts/current")) {
                String answer = asAdmin().get(path).then().extract().asString();
                assertFalse(answer.contains(secret), path + " echoes a registry password: " + answer);
            }
        }
        try (var files = Files.walk(Path.of("target/agent-containers-data"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                assertFalse(text.contains(PASSWORD) || text.contains(WRONG_PASSWORD), file + " holds a registry password");
                assertFalse(file.getFileName().toString().equals("auth.json"), "the authfile outlived its pull: " + file);
            }
        }
        asAdmin().delete("/api/apps/" + app).then().statusCode(202);
        asAdmin().delete("/api/teams/team-a/registries/" + REGISTRY).then().statusCode(204);
    }
}

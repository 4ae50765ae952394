package io.berth.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.testing.TestAuth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** The services' HTTP APIs as a user (or an operator with the admin token) calls them. */
final class Api {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Api() {
    }

    static JsonNode call(String method, String url, String body) throws Exception {
        java.time.Instant at = java.time.Instant.now();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + TestAuth.ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (!method.equals("GET")) {
            // the platform admin's changes, for AuditTrailIT
            URI uri = URI.create(url);
            String base = "http://" + uri.getHost() + ":" + uri.getPort();
            SystemPlatform.get().apis().forEach((service, serviceBase) -> {
                if (serviceBase.equals(base)) {
                    Http.JOURNAL.add(new Http.Change(service, method, uri.getRawPath(), "admin", response.statusCode(), at,
                            response.statusCode() != 401, Http.outcome(response.statusCode())));
                }
            });
        }
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " " + response.body());
        }
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    static JsonNode get(String url) throws Exception {
        return call("GET", url, null);
    }

    static JsonNode await(String url, Predicate<JsonNode> condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = get(url);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(url + " did not get there in " + timeout + "; last: " + last);
    }

    /** An app of the sample with {@code replicas} instances, its first release rolled out. */
    static String deploySample(String prefix, int replicas) throws Exception {
        SystemPlatform platform = SystemPlatform.get();
        String app = prefix + "-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        call("POST", platform.deployApi() + "/apps", "{\"name\":\"" + app + "\"}");
        release(app, replicas, "");
        awaitRollout(app, 1, "COMPLETED");
        return app;
    }

    static void release(String app, int replicas, String envJson) throws Exception {
        release(app, replicas, envJson, "{\"type\":\"http\",\"path\":\"/health\"}");
    }

    static void release(String app, int replicas, String envJson, String healthJson) throws Exception {
        call("POST", SystemPlatform.get().deployApi() + "/apps/" + app + "/releases",
                "{\"artifact\":\"" + SystemPlatform.SAMPLE_ARTIFACT + "\",\"env\":[{\"name\":\"JAVA_TOOL_OPTIONS\",\"value\":\""
                        + SystemPlatform.SAMPLE_JVM_FLAGS + "\"}" + (envJson.isEmpty() ? "" : "," + envJson) + "],"
                        + "\"health\":" + healthJson + ",\"replicas\":" + replicas + "}");
    }

    static void awaitRollout(String app, int release, String state) throws Exception {
        await(SystemPlatform.get().deployApi() + "/apps/" + app + "/rollouts/current",
                r -> r.path("toRelease").asInt() == release && state.equals(r.path("state").asText()),
                Duration.ofSeconds(120));
    }
}

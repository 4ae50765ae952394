import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The zero-downtime scenario: an app with 3 instances of the sample behind the gateway takes a
 * steady GET load from a separate process (GatewayLoad.java) while it goes through
 * (a) a rolling update v1 to v2, (b) a scale 3 to 6 to 2 and (c) a canary v3 at 10 % that is then
 * promoted. Afterwards every answer must come from v3, and no request may have failed.
 *
 * java ZeroDowntime.java DEPLOY_API TOKEN GATEWAY_URL APPS_DOMAIN SAMPLE_JAR RATE MIN_REQUESTS
 * Exit 0 when nothing failed and the last phase saw only v3.
 */
public class ZeroDowntime {
    private static final Pattern STATE = Pattern.compile("\"toRelease\":(\\d+).*?\"state\":\"([A-Z_]+)\"");
    private static HttpClient http = HttpClient.newHttpClient();
    private static String api;
    private static String token;

    public static void main(String[] args) throws Exception {
        api = args[0];
        token = args[1];
        String gateway = args[2];
        String domain = args[3];
        String jar = args[4];
        int rate = Integer.parseInt(args[5]);
        int min = Integer.parseInt(args[6]);
        String app = "zd-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        long t0 = System.nanoTime();

        call("POST", "/apps", "{\"name\":\"" + app + "\"}");
        release(app, jar, "v1", 3, null);
        awaitRollout(app, 1, "COMPLETED");
        log(t0, "v1 serving with 3 instances; load starts: " + rate + "/s, at least " + min + " requests");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // beside this file; single-file programs do not know their own path, so the caller may say it
        String here = Path.of(System.getProperty("berth.bench.lib", "bench/lib")).resolve("GatewayLoad.java").toString();
        Process load = new ProcessBuilder(java, "-Xmx256m", here, gateway, app + "." + domain,
                Integer.toString(rate), Integer.toString(min), Integer.toString(min * 20))
                .redirectErrorStream(true).start();
        PrintWriter control = new PrintWriter(load.getOutputStream(), true);
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(load.getInputStream()))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (output) {
                        output.add(line);
                    }
                    System.out.println("  load: " + line);
                }
            } catch (Exception ignored) {
                // the process ended
            }
        });
        reader.start();
        Thread.sleep(2000);

        control.println("phase rolling-update");
        release(app, jar, "v2", 3, null);
        awaitRollout(app, 2, "COMPLETED");
        log(t0, "(a) rolling update to v2 completed");

        control.println("phase scale");
        call("POST", "/apps/" + app + "/scale", "{\"replicas\":6}");
        awaitServing(app, 6);
        log(t0, "(b) scaled to 6");
        call("POST", "/apps/" + app + "/scale", "{\"replicas\":2}");
        awaitServing(app, 2);
        Thread.sleep(3000); // the retired ones drain and stop
        log(t0, "(b) scaled to 2");

        control.println("phase canary");
        release(app, jar, "v3", 2, 10);
        awaitRollout(app, 3, "CANARY");
        log(t0, "(c) canary v3 serving beside v2");
        Thread.sleep(Math.max(5000, 500_000L / rate)); // at least 500 requests see the split
        control.println("phase promote");
        call("POST", "/apps/" + app + "/rollouts/current/promote", null);
        awaitRollout(app, 3, "COMPLETED");
        Thread.sleep(3000); // the canary instances and v2 drain and stop
        log(t0, "(c) canary promoted, rollout completed");
        control.println("phase after");
        Thread.sleep(3000);
        control.println("stop");
        int code = load.waitFor();
        reader.join();
        call("DELETE", "/apps/" + app, null);

        String after;
        synchronized (output) {
            after = output.stream().filter(l -> l.startsWith("phase after:")).findFirst().orElse("phase after: ?");
        }
        boolean onlyV3 = after.matches("phase after: \\{v3=\\d+\\}");
        System.out.println(onlyV3 ? "after the promotion every answer came from v3" : "NOT only v3 after the promotion: " + after);
        System.exit(code == 0 && onlyV3 ? 0 : 1);
    }

    static void release(String app, String jar, String greeting, int replicas, Integer canaryWeight) throws Exception {
        String strategy = canaryWeight == null ? "" : ",\"strategy\":{\"canary\":{\"weight\":" + canaryWeight + "}}";
        call("POST", "/apps/" + app + "/releases", "{\"artifact\":\"" + jar + "\",\"command\":[\"java\",\"-Xmx32m\",\"-XX:TieredStopAtLevel=1\","
                + "\"-XX:+UseSerialGC\",\"-jar\",\"" + jar + "\"],\"env\":[{\"name\":\"GREETING\",\"value\":\"" + greeting
                + "\"}],\"health\":{\"type\":\"http\",\"path\":\"/health\"},\"replicas\":" + replicas + strategy + "}");
    }

    static void awaitRollout(String app, int release, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = call("GET", "/apps/" + app + "/rollouts/current", null);
            Matcher m = STATE.matcher(last);
            if (m.find() && Integer.parseInt(m.group(1)) == release) {
                if (m.group(2).equals(state)) {
                    return;
                }
                if (m.group(2).equals("FAILED") || m.group(2).equals("ROLLED_BACK")) {
                    throw new IllegalStateException("rollout to v" + release + " ended " + m.group(2) + ": " + last);
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("rollout to v" + release + " not " + state + " in 180 s: " + last);
    }

    /** Exactly {@code n} instances that are not terminating, all Ready. */
    static void awaitServing(String app, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = call("GET", "/apps/" + app + "/instances", null);
            int live = count(last, "\"terminating\":false");
            int ready = count(last, "\"ready\":true,\"terminating\":false");
            if (live == n && ready == n) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(app + " did not get to " + n + " Ready instances in 180 s: " + last);
    }

    static int count(String text, String needle) {
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            count++;
        }
        return count;
    }

    static String call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    static void log(long t0, String what) {
        System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - t0) / 1e9, what);
    }
}

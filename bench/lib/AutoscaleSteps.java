import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load steps against an autoscaled app: it idles at 1 instance; a step starts RATE GETs/s through
 * the gateway (GatewayLoad.java, its own process); the time to the first new instance serving
 * traffic (UP in the gateway) is noted; the load holds HOLD seconds and ends; the time until the
 * app is back at 1 instance is noted. Policy: 50 requests/s per instance, 1 to 6 instances,
 * scale-down window DOWN_WINDOW seconds.
 *
 * java AutoscaleSteps.java DEPLOY_API AUTOSCALER_API GATEWAY_API TOKEN GATEWAY_URL APPS_DOMAIN SAMPLE_JAR STEPS RATE HOLD DOWN_WINDOW
 */
public class AutoscaleSteps {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern REPLICAS = Pattern.compile("\"replicas\":(\\d+)");
    private static final Pattern UP = Pattern.compile("\"registered\":true,\"state\":\"UP");
    private static String token;

    public static void main(String[] args) throws Exception {
        String deploy = args[0];
        String autoscaler = args[1];
        String gatewayApi = args[2];
        token = args[3];
        String gateway = args[4];
        String domain = args[5];
        String jar = args[6];
        int steps = Integer.parseInt(args[7]);
        int rate = Integer.parseInt(args[8]);
        int hold = Integer.parseInt(args[9]);
        int downWindow = Integer.parseInt(args[10]);
        String app = "autobench-" + Long.toString(System.nanoTime() % 46656, 36);

        call("POST", deploy + "/apps", "{\"name\":\"" + app + "\"}");
        call("POST", deploy + "/apps/" + app + "/releases", "{\"artifact\":\"" + jar + "\",\"command\":[\"java\",\"-Xmx32m\",\"-XX:TieredStopAtLevel=1\","
                + "\"-XX:+UseSerialGC\",\"-jar\",\"" + jar + "\"],\"health\":{\"type\":\"http\",\"path\":\"/health\"},\"replicas\":1}");
        await(() -> serving(gatewayApi, app) == 1, 120);
        call("PUT", autoscaler + "/apps/" + app + "/autoscaling", "{\"minReplicas\":1,\"maxReplicas\":6,"
                + "\"metrics\":[{\"metric\":\"requestsPerSecond\",\"target\":50}],"
                + "\"behavior\":{\"scaleDownStabilizationSeconds\":" + downWindow + ",\"cooldownSeconds\":3}}");

        List<Double> up = new ArrayList<>();
        List<Double> down = new ArrayList<>();
        int failed = 0;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String lib = System.getProperty("berth.bench.lib", "bench/lib");
        for (int step = 1; step <= steps; step++) {
            Process load = new ProcessBuilder(java, "-Xmx128m", Path.of(lib, "GatewayLoad.java").toString(), gateway,
                    app + "." + domain, Integer.toString(rate), Integer.toString(rate * hold), Integer.toString(rate * hold * 3))
                    .redirectErrorStream(true).start();
            long t0 = System.nanoTime();
            await(() -> serving(gatewayApi, app) > 1, 60);
            double toServing = (System.nanoTime() - t0) / 1e9;
            up.add(toServing);
            int peak = 0;
            while (System.nanoTime() - t0 < hold * 1_000_000_000L) {
                peak = Math.max(peak, replicas(deploy, app));
                Thread.sleep(250);
            }
            load.getOutputStream().write("stop\n".getBytes());
            load.getOutputStream().flush();
            load.waitFor();
            String out = new String(load.getInputStream().readAllBytes());
            String summary = out.lines().filter(l -> l.contains(" requests, ")).findFirst().orElse(out);
            if (!summary.contains(" 0 failed")) {
                failed++;
            }
            long t1 = System.nanoTime();
            await(() -> replicas(deploy, app) == 1, 300);
            double toOne = (System.nanoTime() - t1) / 1e9;
            // the next step starts from one instance serving, the retired ones gone from the gateway
            await(() -> serving(gatewayApi, app) == 1, 60);
            down.add(toOne);
            System.out.printf("step %d: %d requests/s -> first new instance serving after %.1f s (%d instances at the "
                    + "peak); load ended -> back to 1 after %.1f s; %s%n", step, rate, toServing, peak, toOne, summary);
        }
        call("DELETE", deploy + "/apps/" + app, null);
        System.out.printf("load step -> first new instance serving: %d steps, p50 %.1f s, max %.1f s%n", steps,
                median(up), Collections.max(up));
        System.out.printf("load ended -> back to 1 instance (scale-down window %d s): p50 %.1f s, max %.1f s%n",
                downWindow, median(down), Collections.max(down));
        System.out.println("steps with a failed request: " + failed);
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void await(Condition condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not there in " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }

    static int serving(String gatewayApi, String app) throws Exception {
        Matcher m = UP.matcher(call("GET", gatewayApi + "/api/gateway/routes?app=" + app, null));
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    static int replicas(String deploy, String app) throws Exception {
        Matcher m = REPLICAS.matcher(call("GET", deploy + "/apps/" + app, null));
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    static String call(String method, String url, String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long an instance takes to enter and to leave traffic. Instances of the sample app are
 * started and stopped one after another on the agent (two steady ones keep the app routed);
 * meanwhile a steady GET load through the gateway notes which instance answered when, and dig
 * polls BIND for the app's SRV records.
 *   up:   agent says READY            -> first request that instance served through the gateway
 *   dns:  agent says READY            -> its SRV record answers from BIND
 *   down: agent says TERMINATING      -> the last request that instance served (SIGTERM comes
 *         (deregistration starts)        only after the drain, so a late request would show here)
 *
 * java RegistrationLatency.java AGENT_URL TOKEN GATEWAY_URL APPS_DOMAIN DNS_PORT ZONE SAMPLE_JAR CYCLES
 * Each cycle is two transitions (in and out); prints p50/p99/max of each.
 */
public class RegistrationLatency {
    private static final Pattern INSTANCE = Pattern.compile("instance=([a-z0-9-]+)");
    private static final Pattern EVENT = Pattern.compile("\"id\":\"([a-z0-9-]+)\".*?\"state\":\"([A-Z]+)\"");

    public static void main(String[] args) throws Exception {
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        String agent = args[0];
        String token = args[1];
        URI gateway = URI.create(args[2]);
        String app = "regbench";
        String host = app + "." + args[3];
        String dnsPort = args[4];
        String zone = args[5];
        String jar = args[6];
        int cycles = Integer.parseInt(args[7]);
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4)).build();

        Map<String, Long> ready = new ConcurrentHashMap<>();
        Map<String, Long> terminating = new ConcurrentHashMap<>();
        Map<String, Long> firstServed = new ConcurrentHashMap<>();
        Map<String, Long> lastServed = new ConcurrentHashMap<>();
        Map<String, Long> inDns = new ConcurrentHashMap<>();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        boolean[] running = {true};

        // the agent's own account of each change, as the registrar sees it
        Thread watch = new Thread(() -> {
            try {
                HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(
                                URI.create(agent + "/api/instances/watch?app=" + app))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body()))) {
                    for (String line; running[0] && (line = in.readLine()) != null; ) {
                        Matcher m = EVENT.matcher(line);
                        if (line.startsWith("data:") && m.find()) {
                            long now = System.nanoTime();
                            if (m.group(2).equals("READY")) {
                                ready.putIfAbsent(m.group(1), now);
                            } else if (m.group(2).equals("TERMINATING")) {
                                terminating.putIfAbsent(m.group(1), now);
                            }
                        }
                    }
                }
            } catch (Exception e) {
                if (running[0]) {
                    failures.add("watch: " + e);
                }
            }
        });
        watch.setDaemon(true);
        watch.start();

        // 500 GETs a second through the gateway: who answers, and when
        HttpRequest get = HttpRequest.newBuilder(gateway).header("Host", host).timeout(Duration.ofSeconds(5)).build();
        Thread load = new Thread(() -> {
            long start = System.nanoTime();
            for (long i = 0; running[0]; i++) {
                long due = start + i * 2_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
                http.sendAsync(get, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                    long now = System.nanoTime();
                    if (error != null || response.statusCode() != 200) {
                        failures.add(error != null ? error.toString() : "HTTP " + response.statusCode());
                        return;
                    }
                    Matcher m = INSTANCE.matcher(response.body());
                    if (m.find()) {
                        firstServed.putIfAbsent(m.group(1), now);
                        lastServed.put(m.group(1), now);
                    }
                });
            }
        });
        load.setDaemon(true);

        // dig every 20 ms: which instances the SRV records name
        Thread dns = new Thread(() -> {
            while (running[0]) {
                try {
                    Process dig = new ProcessBuilder("dig", "+short", "+tries=1", "+time=1", "@127.0.0.1", "-p", dnsPort,
                            "SRV", "_http._tcp." + app + "." + zone).redirectErrorStream(true).start();
                    String out = new String(dig.getInputStream().readAllBytes());
                    dig.waitFor();
                    long now = System.nanoTime();
                    for (String line : out.split("\n")) {
                        String[] parts = line.trim().split("\\s+");
                        if (parts.length == 4) {
                            inDns.putIfAbsent(parts[3].substring(0, parts[3].indexOf('.')), now);
                        }
                    }
                    Thread.sleep(20);
                } catch (Exception e) {
                    failures.add("dig: " + e);
                }
            }
        });
        dns.setDaemon(true);

        for (String steady : List.of("regbench-steady-a", "regbench-steady-b")) {
            start(http, agent, token, app, steady, jar);
        }
        awaitKey(firstServedOrStart(http, get), 30);
        load.start();
        dns.start();
        awaitKey(() -> firstServed.containsKey("regbench-steady-a") && firstServed.containsKey("regbench-steady-b"), 30);

        List<Double> up = new ArrayList<>();
        List<Double> down = new ArrayList<>();
        List<Double> dnsUp = new ArrayList<>();
        for (int i = 0; i < cycles; i++) {
            String id = "regbench-" + i + "-" + Long.toString(System.nanoTime() % 46656, 36);
            start(http, agent, token, app, id, jar);
            awaitKey(() -> firstServed.containsKey(id) && inDns.containsKey(id) && ready.containsKey(id), 30);
            up.add((firstServed.get(id) - ready.get(id)) / 1e6);
            dnsUp.add(Math.max(0, inDns.get(id) - ready.get(id)) / 1e6);
            send(http, "DELETE", agent + "/api/instances/" + id + "?drainSeconds=2&gracePeriodSeconds=5", token, null);
            awaitKey(() -> terminating.containsKey(id), 30);
            Thread.sleep(2500); // past the drain: nothing should reach it any more
            down.add(Math.max(0, lastServed.get(id) - terminating.get(id)) / 1e6);
            System.out.printf("cycle %d: in %.0f ms, dns %.0f ms, out %.0f ms%n", i + 1, up.get(i), dnsUp.get(i), down.get(i));
        }
        running[0] = false;
        for (String steady : List.of("regbench-steady-a", "regbench-steady-b")) {
            send(http, "DELETE", agent + "/api/instances/" + steady + "?gracePeriodSeconds=5", token, null);
        }
        report("Ready -> first request through the gateway", up);
        report("Ready -> SRV record in BIND", dnsUp);
        report("Terminating (deregistration) -> last request served", down);
        System.out.println(failures.isEmpty() ? "requests failed: 0"
                : "requests failed: " + failures.size() + ", first: " + failures.subList(0, Math.min(3, failures.size())));
        System.exit(0);
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static Condition firstServedOrStart(HttpClient http, HttpRequest get) {
        return () -> http.send(get, HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
    }

    static void awaitKey(Condition condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not there in " + seconds + " s");
            }
            Thread.sleep(5);
        }
    }

    static void start(HttpClient http, String agent, String token, String app, String id, String jar) throws Exception {
        send(http, "POST", agent + "/api/instances", token, "{\"id\":\"" + id + "\",\"app\":\"" + app + "\",\"team\":\"bench\","
                + "\"release\":1,\"artifact\":\"" + jar + "\",\"command\":[\"java\",\"-Xmx32m\",\"-XX:TieredStopAtLevel=1\",\"-XX:+UseSerialGC\",\"-jar\",\""
                + jar + "\"],\"health\":{\"type\":\"http\",\"path\":\"/health\",\"intervalMillis\":200,\"timeoutMillis\":1000,"
                + "\"successThreshold\":1,\"failureThreshold\":2,\"initialDelayMillis\":0},\"gracePeriodSeconds\":5}");
    }

    static void send(HttpClient http, String method, String url, String token, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " " + response.body());
        }
    }

    static void report(String what, List<Double> millis) {
        List<Double> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("%s: %d transitions, p50 %.0f ms, p99 %.0f ms, max %.0f ms%n", what, sorted.size(),
                sorted.get(sorted.size() / 2), sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.99) - 1)),
                sorted.get(sorted.size() - 1));
    }
}

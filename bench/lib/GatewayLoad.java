import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Open-loop GET load through the gateway for one app (by Host header), counting every failure
 * (connection error, timeout, non-2xx) and which release answered. It runs until told to stop on
 * stdin and has sent at least MIN requests; it is bounded by MAX requests whatever happens.
 *
 * java GatewayLoad.java GATEWAY_URL HOST RATE MIN MAX
 * stdin lines: "phase NAME" starts counting answers under NAME; "stop" ends the run.
 * prints: one line per phase (answers by release), then
 *   "N requests, F failed (C connection errors, S non-2xx), achieved R/s, latency ms p50 .. p99 .. max .."
 * and exits 0 when nothing failed, 1 otherwise.
 */
public class GatewayLoad {
    private static final Pattern RELEASE = Pattern.compile("release=(\\d+)");

    public static void main(String[] args) throws Exception {
        // the Host header picks the app; the JDK client only lets us set it with this property
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        URI uri = URI.create(args[0]);
        String host = args[1];
        int rate = Integer.parseInt(args[2]);
        int min = Integer.parseInt(args[3]);
        int max = Integer.parseInt(args[4]);
        if (!uri.getHost().equals("127.0.0.1")) {
            throw new IllegalArgumentException("load stays on loopback");
        }
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4))
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Host", host).GET().build();

        Map<String, Map<String, AtomicInteger>> phases = new ConcurrentHashMap<>();
        List<String> phaseOrder = new ArrayList<>();
        String[] phase = {"start"};
        phaseOrder.add("start");
        boolean[] stop = {false};
        Thread control = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("phase ")) {
                        synchronized (phaseOrder) {
                            phase[0] = line.substring(6).trim();
                            phaseOrder.add(phase[0]);
                        }
                    } else if (line.trim().equals("stop")) {
                        stop[0] = true;
                    }
                }
            } catch (Exception e) {
                stop[0] = true;
            }
            stop[0] = true;
        });
        control.setDaemon(true);
        control.start();

        AtomicLongArray latencies = new AtomicLongArray(max);
        AtomicInteger connectionErrors = new AtomicInteger();
        AtomicInteger non2xx = new AtomicInteger();
        List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        int sent = 0;
        List<java.util.concurrent.CompletableFuture<?>> pending = new ArrayList<>();
        while (sent < max && !(stop[0] && sent >= min)) {
            long due = start + sent * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            int index = sent++;
            String phaseNow;
            synchronized (phaseOrder) {
                phaseNow = phase[0];
            }
            pending.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                latencies.set(index, System.nanoTime() - due);
                if (error != null) {
                    connectionErrors.incrementAndGet();
                    if (firstErrors.size() < 5) {
                        firstErrors.add("#" + index + " " + error);
                    }
                    return;
                }
                if (response.statusCode() / 100 != 2) {
                    non2xx.incrementAndGet();
                    if (firstErrors.size() < 5) {
                        firstErrors.add("#" + index + " HTTP " + response.statusCode() + " " + response.body().strip());
                    }
                    return;
                }
                Matcher m = RELEASE.matcher(response.body());
                String release = m.find() ? "v" + m.group(1) : "?";
                phases.computeIfAbsent(phaseNow, p -> new ConcurrentHashMap<>())
                        .computeIfAbsent(release, r -> new AtomicInteger()).incrementAndGet();
            }));
        }
        for (var future : pending) {
            try {
                future.join();
            } catch (Exception ignored) {
                // counted in whenComplete
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        for (String name : phaseOrder) {
            Map<String, AtomicInteger> byRelease = phases.getOrDefault(name, Map.of());
            Map<String, Integer> sorted = new TreeMap<>();
            byRelease.forEach((k, v) -> sorted.put(k, v.get()));
            System.out.println("phase " + name + ": " + sorted);
        }
        long[] sorted = new long[sent];
        for (int i = 0; i < sent; i++) {
            sorted[i] = latencies.get(i);
        }
        Arrays.sort(sorted);
        int failed = connectionErrors.get() + non2xx.get();
        firstErrors.forEach(e -> System.out.println("failure: " + e));
        System.out.printf("%d requests, %d failed (%d connection errors, %d non-2xx), achieved %.0f/s, "
                        + "latency ms p50 %.2f p99 %.2f max %.2f%n",
                sent, failed, connectionErrors.get(), non2xx.get(), sent / elapsed,
                sorted[sent / 2] / 1e6, sorted[(int) (sent * 0.99)] / 1e6, sorted[sent - 1] / 1e6);
        System.exit(failed == 0 ? 0 : 1);
    }
}

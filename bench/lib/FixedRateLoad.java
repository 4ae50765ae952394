import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * An open-loop load generator: sends requests at a fixed rate whatever the server does, and
 * measures each latency from the moment the request was due (not when it was sent), so a
 * stalled server shows up in the percentiles instead of slowing the load (no coordinated
 * omission). Bounded: RATE requests per second for SECONDS seconds, on loopback.
 *
 * java FixedRateLoad.java METHOD URL RATE SECONDS TOKEN [BODY[|BODY...]]
 * (several bodies separated by | are sent in turn, e.g. to alternate a scale between two counts)
 * prints: requests, errors, achieved rate, p50/p90/p99/max latency in ms
 */
public class FixedRateLoad {
    public static void main(String[] args) throws Exception {
        String method = args[0];
        URI uri = URI.create(args[1]);
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        String token = args[4];
        String body = args.length > 5 ? args[5] : null;
        if (!uri.getHost().equals("127.0.0.1") && !uri.getHost().equals("localhost")) {
            throw new IllegalArgumentException("load stays on loopback");
        }
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(4))
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest.Builder template = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        HttpRequest[] requests = body == null
                ? new HttpRequest[] {template.method(method, HttpRequest.BodyPublishers.noBody()).build()}
                : Arrays.stream(body.split("\\|"))
                        .map(b -> template.copy().method(method, HttpRequest.BodyPublishers.ofString(b)).build())
                        .toArray(HttpRequest[]::new);

        // warm-up: let the JIT and the connection pool settle before measuring
        for (int i = 0; i < Math.min(rate, 200); i++) {
            http.send(requests[i % requests.length], HttpResponse.BodyHandlers.discarding());
        }

        int total = rate * seconds;
        AtomicLongArray latencies = new AtomicLongArray(total);
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        for (int i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            int index = i;
            http.sendAsync(requests[i % requests.length], HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                latencies.set(index, System.nanoTime() - due);
                if (error != null || response.statusCode() >= 400) {
                    errors.incrementAndGet();
                }
                done.countDown();
            });
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] sorted = new long[total];
        for (int i = 0; i < total; i++) {
            sorted[i] = latencies.get(i);
        }
        Arrays.sort(sorted);
        System.out.printf("%s %s: %d requests at %d/s for %d s, %d errors, achieved %.0f/s, latency ms p50 %.2f p90 %.2f p99 %.2f max %.2f%n",
                method, uri.getPath(), total, rate, seconds, errors.get(), total / elapsed,
                pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted[total - 1] / 1e6);
        System.exit(0);
    }

    static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}

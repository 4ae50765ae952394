package io.berth.gateway.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * A client of the test HAProxy's frontend: requests with {@code Host: <app>.<domain>} over pooled
 * keep-alive connections, with the client's own retries switched off, so that every failure the
 * gateway lets through is counted.
 */
public final class GatewayClient implements AutoCloseable {
    public record Reply(int status, String body) {
    }

    private final CloseableHttpClient http;
    private final int port;

    public GatewayClient() {
        port = ConfigProvider.getConfig().getValue("berth.test.gateway-port", Integer.class);
        RequestConfig timeouts = RequestConfig.custom().setConnectTimeout(2000).setSocketTimeout(10000)
                .setConnectionRequestTimeout(2000).build();
        http = HttpClients.custom().disableAutomaticRetries().setMaxConnTotal(64).setMaxConnPerRoute(64)
                .setDefaultRequestConfig(timeouts).build();
    }

    public Reply get(String app) throws IOException {
        HttpGet get = new HttpGet("http://127.0.0.1:" + port + "/hello");
        get.setHeader("Host", app + "." + HaproxyTestResource.DOMAIN + ":" + port);
        try (CloseableHttpResponse response = http.execute(get)) {
            return new Reply(response.getStatusLine().getStatusCode(),
                    EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8));
        }
    }

    /** GET that never throws: an I/O error is status -1. */
    public Reply tryGet(String app) {
        try {
            return get(app);
        } catch (IOException e) {
            return new Reply(-1, e.toString());
        }
    }

    /** Steady load on one app from a few threads until closed; counts every outcome. */
    public Load load(String app, int threads) {
        return new Load(this, app, threads);
    }

    public static final class Load implements AutoCloseable {
        public final AtomicLong ok = new AtomicLong();
        public final AtomicLong failed = new AtomicLong();
        public final Map<String, AtomicLong> byBody = new ConcurrentHashMap<>();
        public final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        private volatile boolean running = true;
        private final Thread[] workers;

        Load(GatewayClient client, String app, int threads) {
            workers = new Thread[threads];
            for (int i = 0; i < threads; i++) {
                workers[i] = new Thread(() -> {
                    while (running) {
                        Reply reply = client.tryGet(app);
                        if (reply.status() == 200) {
                            ok.incrementAndGet();
                            byBody.computeIfAbsent(reply.body(), b -> new AtomicLong()).incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                            failures.computeIfAbsent(reply.status() + " " + reply.body(), b -> new AtomicLong())
                                    .incrementAndGet();
                        }
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "load-" + app + "-" + i);
                workers[i].setDaemon(true);
                workers[i].start();
            }
        }

        public long total() {
            return ok.get() + failed.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            for (Thread worker : workers) {
                worker.join(15_000);
            }
        }

        @Override
        public String toString() {
            return total() + " requests, " + failed.get() + " failed " + failures + ", served by " + byBody;
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}

package io.berth.gateway.it;

import io.berth.gateway.model.BackendLayout;
import io.berth.gateway.render.HaproxyConfigRenderer;
import io.berth.gateway.render.RenderSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A real HAProxy of the tests' own (master-worker, on free loopback ports, sockets and config under
 * target/haproxy-it) started once per test run with the configuration bin/berth-dev writes, plus a
 * stand-in for the registrar's query API. Everything it returns is a config override, which wins
 * over the BERTH_HAPROXY_* variables of berth.env.
 */
public class HaproxyTestResource implements QuarkusTestResourceLifecycleManager {
    static final String DOMAIN = "apps.test";

    private Process haproxy;
    private FakeRegistrar registrar;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Path.of("target", "haproxy-it").toAbsolutePath();
            Files.createDirectories(dir);
            Path admin = dir.resolve("admin.sock");
            Path master = dir.resolve("master.sock");
            Path config = dir.resolve("haproxy.cfg");
            Files.deleteIfExists(admin);
            Files.deleteIfExists(master);
            int gatewayPort = freePort();
            int statsPort = freePort();
            RenderSettings settings = new RenderSettings(DOMAIN, "127.0.0.1:" + gatewayPort, "127.0.0.1:" + statsPort,
                    admin, dir.resolve("pid"), Duration.ofSeconds(1), 2, 2, false);
            Files.writeString(config, HaproxyConfigRenderer.render(BackendLayout.empty(), Map.of(), settings));
            haproxy = new ProcessBuilder("haproxy", "-W", "-S", master.toString(), "-f", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(Files.exists(admin) && Files.exists(master))) {
                if (System.nanoTime() > deadline || !haproxy.isAlive()) {
                    throw new IllegalStateException("test HAProxy did not start; see " + dir.resolve("haproxy.log"));
                }
                Thread.sleep(20);
            }
            registrar = FakeRegistrar.start();

            Map<String, String> config1 = new HashMap<>();
            config1.put("berth.haproxy.admin-socket", admin.toString());
            config1.put("berth.haproxy.master-socket", master.toString());
            config1.put("berth.haproxy.config", config.toString());
            config1.put("berth.gateway.bind", "127.0.0.1:" + gatewayPort);
            config1.put("berth.gateway.stats-bind", "127.0.0.1:" + statsPort);
            config1.put("berth.gateway.domain", DOMAIN);
            config1.put("berth.gateway.registry", "registrar");
            config1.put("berth.registrar.url", registrar.url());
            config1.put("quarkus.rest-client.registrar.url", registrar.url());
            config1.put("berth.gateway.default-health-path", "/health");
            config1.put("berth.gateway.reconcile-interval", "2s");
            config1.put("berth.gateway.stats-interval", "1s");
            config1.put("berth.gateway.drain-timeout", "5s");
            config1.put("mp.messaging.incoming.registrations.group.id", "berth-gateway-test-" + UUID.randomUUID());
            config1.put("berth.test.gateway-port", String.valueOf(gatewayPort));
            config1.put("berth.test.registrar-url", registrar.url());
            return config1;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (registrar != null) {
            registrar.stop();
        }
        if (haproxy != null) {
            haproxy.destroy(); // SIGTERM to the master stops its workers
            try {
                if (!haproxy.waitFor(java.time.Duration.ofSeconds(10).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    haproxy.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

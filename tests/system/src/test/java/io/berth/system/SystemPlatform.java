package io.berth.system;

import io.berth.common.testing.ServiceProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The traffic path of Berth as packaged, started once per test run for every system test: a
 * HAProxy of its own (free loopback ports, sockets under target/), the agent, the registrar
 * (DNS owner "system-test" in the shared BIND zone), the gateway controller and the deploy
 * service (database berth_test). Kafka, BIND and PostgreSQL are the ones bin/berth-dev runs.
 */
public final class SystemPlatform implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
    public static final String DOMAIN = "apps.test";
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final Path TARGET = Path.of("target").toAbsolutePath();
    public static final Path SAMPLE_JAR = ROOT.resolve("samples/hello/target/hello.jar");

    private static SystemPlatform started;

    private Process haproxy;
    ServiceProcess agent;
    ServiceProcess registrar;
    ServiceProcess gateway;
    ServiceProcess deploy;
    ServiceProcess autoscaler;
    int gatewayPort;
    private final Map<String, Path> jars = Map.of(
            "agent", ROOT.resolve("services/agent/target/quarkus-app/quarkus-run.jar"),
            "registrar", ROOT.resolve("services/registrar/target/quarkus-app/quarkus-run.jar"),
            "gateway", ROOT.resolve("gateway/target/quarkus-app/quarkus-run.jar"),
            "deploy", ROOT.resolve("services/deploy/target/quarkus-app/quarkus-run.jar"),
            "autoscaler", ROOT.resolve("services/autoscaler/target/quarkus-app/quarkus-run.jar"));

    public static SystemPlatform get() {
        return started;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (SystemPlatform.class) {
            if (started == null) {
                SystemPlatform platform = new SystemPlatform();
                // closed when the whole run ends, after every test class
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(SystemPlatform.class, platform);
                platform.start();
                started = platform;
            }
        }
    }

    public String deployApi() {
        return deploy.url() + "/api";
    }

    public String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort + "/";
    }

    private void start() throws Exception {
        Path logs = Files.createDirectories(TARGET.resolve("system"));
        startHaproxy(logs);

        Path agentData = TARGET.resolve("system/agent-data");
        deleteTree(agentData);
        agent = ServiceProcess.start(jars.get("agent"), ServiceProcess.freePort(), Map.of(
                "BERTH_AGENT_DATA_DIR", agentData.toString(),
                "BERTH_AGENT_PORT_RANGE_START", "29000",
                "BERTH_AGENT_PORT_RANGE_END", "29999",
                "BERTH_AGENT_STOP_INSTANCES_ON_SHUTDOWN", "true",
                "BERTH_AGENT_CGROUP_PARENT", "berth-system-test"), logs.resolve("agent.log"), "/q/health/ready");

        registrar = startRegistrar(ServiceProcess.freePort());

        Map<String, String> gatewayEnv = new HashMap<>();
        gatewayEnv.put("BERTH_HAPROXY_ADMIN_SOCKET", TARGET.resolve("system/haproxy/admin.sock").toString());
        gatewayEnv.put("BERTH_HAPROXY_MASTER_SOCKET", TARGET.resolve("system/haproxy/master.sock").toString());
        gatewayEnv.put("BERTH_HAPROXY_CONFIG", TARGET.resolve("system/haproxy/haproxy.cfg").toString());
        gatewayEnv.put("BERTH_GATEWAY_BIND", "127.0.0.1:" + gatewayPort);
        gatewayEnv.put("BERTH_GATEWAY_STATS_BIND", "127.0.0.1:" + freePort());
        gatewayEnv.put("BERTH_GATEWAY_DOMAIN", DOMAIN);
        gatewayEnv.put("BERTH_GATEWAY_REGISTRY", "registrar");
        gatewayEnv.put("BERTH_REGISTRAR_URL", registrar.url());
        gatewayEnv.put("BERTH_GATEWAY_DEFAULT_HEALTH_PATH", "/health");
        gatewayEnv.put("BERTH_GATEWAY_RECONCILE_INTERVAL", "2s");
        gatewayEnv.put("BERTH_GATEWAY_DRAIN_TIMEOUT", "10s");
        gatewayEnv.put("BERTH_GATEWAY_STATS_INTERVAL", "1s");
        gatewayEnv.put("MP_MESSAGING_INCOMING_REGISTRATIONS_GROUP_ID", "berth-gateway-system-test-" + UUID.randomUUID());
        gateway = ServiceProcess.start(jars.get("gateway"), ServiceProcess.freePort(), gatewayEnv,
                logs.resolve("gateway.log"), "/q/health/ready");

        Map<String, String> deployEnv = new HashMap<>();
        // a schema of its own, emptied first: only the apps these tests create run on this agent
        String schema = "deploy_system_test";
        deployEnv.put("BERTH_POSTGRES_DB_NAME", "berth_test");
        deployEnv.put("QUARKUS_HIBERNATE_ORM_DATABASE_DEFAULT_SCHEMA", schema);
        deployEnv.put("QUARKUS_FLYWAY_SCHEMAS", schema);
        deployEnv.put("QUARKUS_FLYWAY_DEFAULT_SCHEMA", schema);
        deployEnv.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
        deployEnv.put("QUARKUS_FLYWAY_CLEAN_AT_START", "true");
        deployEnv.put("BERTH_AGENT_URL", agent.url());
        deployEnv.put("BERTH_GATEWAY_URL", gateway.url());
        deployEnv.put("BERTH_DEPLOY_TRAFFIC_GATE", "gateway");
        deployEnv.put("MP_MESSAGING_INCOMING_SCALING_GROUP_ID", "berth-deploy-system-test");
        deploy = ServiceProcess.start(jars.get("deploy"), ServiceProcess.freePort(), deployEnv, logs.resolve("deploy.log"),
                "/q/health/ready");
        autoscaler = startAutoscaler(ServiceProcess.freePort(), true);
    }

    private ServiceProcess startRegistrar(int port) throws IOException, InterruptedException {
        return ServiceProcess.start(jars.get("registrar"), port, Map.of(
                "BERTH_AGENT_URL", agent.url(),
                "BERTH_REGISTRAR_OWNER", "system-test",
                "BERTH_REGISTRAR_RECONCILE_INTERVAL", "5s"), TARGET.resolve("system/registrar.log"), "/q/health/ready");
    }

    /** kill -9 of the registrar; it stays down until {@link #startRegistrarAgain()}. */
    public void killRegistrar() throws InterruptedException {
        registrar.kill();
    }

    /** The registrar again, on the port the gateway reads it at; returns once it is ready. */
    public void startRegistrarAgain() throws IOException, InterruptedException {
        registrar = startRegistrar(registrar.port());
    }

    private ServiceProcess startAutoscaler(int port, boolean fresh) throws IOException, InterruptedException {
        String schema = "autoscaler_system_test";
        Map<String, String> env = new HashMap<>();
        env.put("BERTH_POSTGRES_DB_NAME", "berth_test");
        env.put("QUARKUS_HIBERNATE_ORM_DATABASE_DEFAULT_SCHEMA", schema);
        env.put("QUARKUS_FLYWAY_SCHEMAS", schema);
        env.put("QUARKUS_FLYWAY_DEFAULT_SCHEMA", schema);
        env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
        env.put("QUARKUS_FLYWAY_CLEAN_AT_START", Boolean.toString(fresh));
        env.put("BERTH_DEPLOY_URL", deploy.url());
        env.put("BERTH_AUTOSCALER_INTERVAL", "1s");
        env.put("BERTH_AUTOSCALER_METRIC_WINDOW", "5s");
        env.put("MP_MESSAGING_INCOMING_METRICS_GROUP_ID", "berth-autoscaler-system-test-" + UUID.randomUUID());
        return ServiceProcess.start(jars.get("autoscaler"), port, env, TARGET.resolve("system/autoscaler.log"),
                "/q/health/ready");
    }

    /** kill -9 of the autoscaler and a new one on the same port and schema, ready. */
    public void restartAutoscaler() throws IOException, InterruptedException {
        autoscaler.kill();
        autoscaler = startAutoscaler(autoscaler.port(), false);
    }

    public String autoscalerApi() {
        return autoscaler.url() + "/api";
    }

    public String agentUrl() {
        return agent.url();
    }

    public String registrarUrl() {
        return registrar.url();
    }

    public String gatewayApi() {
        return gateway.url();
    }

    /** master-worker with the sockets the gateway needs; the gateway renders the real configuration at start */
    private void startHaproxy(Path logs) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(TARGET.resolve("system/haproxy"));
        Path admin = dir.resolve("admin.sock");
        Path master = dir.resolve("master.sock");
        Files.deleteIfExists(admin);
        Files.deleteIfExists(master);
        gatewayPort = freePort();
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
                "global",
                "    master-worker",
                "    stats socket " + admin + " mode 600 level admin expose-fd listeners",
                "defaults",
                "    mode http",
                "    timeout connect 5s",
                "    timeout client 30s",
                "    timeout server 30s",
                "frontend gateway",
                "    bind 127.0.0.1:" + gatewayPort,
                "    default_backend berth_no_app",
                "backend berth_no_app",
                "    http-request return status 503",
                ""));
        haproxy = new ProcessBuilder("haproxy", "-W", "-S", master.toString(), "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(logs.resolve("haproxy.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.exists(admin) && Files.exists(master))) {
            if (System.nanoTime() > deadline || !haproxy.isAlive()) {
                throw new IllegalStateException("the system tests' HAProxy did not start: see " + logs.resolve("haproxy.log"));
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Throwable {
        // deploy first, so that nothing starts instances while the agent stops them
        for (ServiceProcess service : new ServiceProcess[] {autoscaler, deploy, gateway, registrar, agent}) {
            if (service != null) {
                service.stop();
            }
        }
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            haproxy.destroyForcibly();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

package io.berth.system;

import io.berth.common.testing.ServiceProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Berth as packaged, started once per test run for every system test: a HAProxy of its own (free
 * loopback ports, sockets under target/), the agent, the registrar (DNS owner "system-test" in
 * the shared BIND zone), the gateway controller, the deploy service and the autoscaler (schemas of
 * their own in the database berth_test), the identity service (its own schema; its audit consumer
 * a group of its own that starts at the end of berth.audit), the log collector (the agent's log
 * directory, a state directory of its own, only this run's "sys*-" apps' topics managed) and the
 * log indexer (its own index prefix and consumer group, only "sys*-" apps' topics), and the
 * console. Every service gets a secrets key ring made for this run. Kafka, Elasticsearch, BIND
 * and PostgreSQL are the ones bin/berth-dev runs; nothing here touches the platform's data.
 */
public final class SystemPlatform implements BeforeAllCallback, ExtensionContext.Store.CloseableResource {
    public static final String DOMAIN = "apps.test";
    static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
    static final Path TARGET = Path.of("target").toAbsolutePath();
    static final Path SAMPLE_JAR = ROOT.resolve("samples/hello/target/hello.jar");
    /** the agent's one artifact root: what the releases here run is mounted read-only from it */
    static final Path ARTIFACTS = TARGET.resolve("system/artifacts");
    /** the sample as an artifact on the agent's machine, which its instances see at the same path */
    public static final Path SAMPLE_ARTIFACT = ARTIFACTS.resolve("hello.jar");
    /** the JVM flags that keep the sample small */
    public static final String SAMPLE_JVM_FLAGS = "-Xmx32m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    private static SystemPlatform started;

    private Process haproxy;
    ServiceProcess agent;
    ServiceProcess registrar;
    ServiceProcess gateway;
    ServiceProcess deploy;
    ServiceProcess autoscaler;
    ServiceProcess identity;
    ServiceProcess logCollector;
    ServiceProcess logIndexer;
    ServiceProcess console;
    /** berth.secrets.keys of this run: one key, "id:base64 of 32 random bytes" */
    public static final String SECRETS_KEY_ID = "systest";
    static final String SECRETS_KEYS = SECRETS_KEY_ID + ":" + java.util.Base64.getEncoder().encodeToString(randomKey());
    /** the Elasticsearch indices of this platform's log indexer */
    public static final String INDEX_PREFIX = "berth-system-test-logs";
    /** The machine's shared Kafka, which the services of a run and its tests use. */
    static final String KAFKA = System.getenv().getOrDefault("BERTH_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    /** the apps whose logs the collector manages and the indexer indexes: the tenancy tests name theirs so */
    public static final String LOG_APPS = "sys[a-z]?-[a-z0-9-]+";
    static final Path AGENT_DATA = TARGET.resolve("system/agent-data");
    int gatewayPort;
    private int statsPort;
    private int consolePort;
    private int oidcPort;
    private OidcProvider oidc;
    /**
     * The people the test OIDC provider knows, with their groups: one developer of a team that
     * exists only at the provider, as a company's SSO groups would (decision 6).
     */
    public static final Map<String, List<String>> OIDC_USERS = Map.of(
            "sso-dev", List.of("berth:sso-team:developer"));
    private final Map<String, Path> jars = Map.of(
            "agent", ROOT.resolve("services/agent/target/quarkus-app/quarkus-run.jar"),
            "registrar", ROOT.resolve("services/registrar/target/quarkus-app/quarkus-run.jar"),
            "gateway", ROOT.resolve("gateway/target/quarkus-app/quarkus-run.jar"),
            "deploy", ROOT.resolve("services/deploy/target/quarkus-app/quarkus-run.jar"),
            "autoscaler", ROOT.resolve("services/autoscaler/target/quarkus-app/quarkus-run.jar"),
            "identity", ROOT.resolve("services/identity/target/quarkus-app/quarkus-run.jar"),
            "log-collector", ROOT.resolve("services/log-collector/target/quarkus-app/quarkus-run.jar"),
            "log-indexer", ROOT.resolve("services/log-indexer/target/quarkus-app/quarkus-run.jar"),
            "console", ROOT.resolve("services/console/target/quarkus-app/quarkus-run.jar"));

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
                try {
                    platform.start();
                } catch (Exception | Error e) {
                    // the next test class tries again under the same key, which would orphan what started
                    try {
                        platform.close();
                    } catch (Throwable closing) {
                        e.addSuppressed(closing);
                    }
                    throw e;
                }
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

    /**
     * What every service of this platform gets besides its own settings: the run's key ring, the test
     * OIDC provider as the one they trust for single sign-on, and a per-token rate limit high enough
     * for the generated requests of the tenancy tests (they check access and input, not the limit,
     * which services/common's tests cover).
     */
    private Map<String, String> common(Map<String, String> own) {
        Map<String, String> env = new HashMap<>(own);
        env.put("BERTH_SECRETS_KEYS", SECRETS_KEYS);
        env.put("BERTH_AUTH_RATE_LIMIT_REQUESTS_PER_SECOND", "2000");
        env.put("BERTH_AUTH_RATE_LIMIT_BURST", "4000");
        env.putAll(oidc.serviceEnvironment());
        return env;
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    private void start() throws Exception {
        Path logs = Files.createDirectories(TARGET.resolve("system"));
        startHaproxy(logs);
        // the console's port is known before anything starts: the provider must know where to send people back
        consolePort = freePort();
        oidcPort = freePort();
        oidc = OidcProvider.start(oidcPort, List.of("http://127.0.0.1:" + consolePort + "/"), OIDC_USERS,
                logs.resolve("oidc-provider.log"));

        // first, so that its audit consumer is at the end of berth.audit before any change is made
        identity = startIdentity(logs);

        Path agentData = AGENT_DATA;
        deleteTree(agentData);
        Files.createDirectories(ARTIFACTS);
        Files.copy(SAMPLE_JAR, SAMPLE_ARTIFACT, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        agent = startAgent(ServiceProcess.freePort());
        logCollector = startLogCollector(logs, agentData);
        logIndexer = startLogIndexer(logs);

        registrar = startRegistrar(ServiceProcess.freePort());

        Map<String, String> gatewayEnv = new HashMap<>();
        gatewayEnv.put("BERTH_HAPROXY_ADMIN_SOCKET", TARGET.resolve("system/haproxy/admin.sock").toString());
        gatewayEnv.put("BERTH_HAPROXY_MASTER_SOCKET", TARGET.resolve("system/haproxy/master.sock").toString());
        gatewayEnv.put("BERTH_HAPROXY_CONFIG", TARGET.resolve("system/haproxy/haproxy.cfg").toString());
        gatewayEnv.put("BERTH_GATEWAY_BIND", "127.0.0.1:" + gatewayPort);
        statsPort = freePort();
        gatewayEnv.put("BERTH_GATEWAY_STATS_BIND", "127.0.0.1:" + statsPort);
        gatewayEnv.put("BERTH_GATEWAY_DOMAIN", DOMAIN);
        gatewayEnv.put("BERTH_GATEWAY_REGISTRY", "registrar");
        gatewayEnv.put("BERTH_REGISTRAR_URL", registrar.url());
        gatewayEnv.put("BERTH_GATEWAY_DEFAULT_HEALTH_PATH", "/health");
        gatewayEnv.put("BERTH_GATEWAY_RECONCILE_INTERVAL", "2s");
        gatewayEnv.put("BERTH_GATEWAY_DRAIN_TIMEOUT", "10s");
        gatewayEnv.put("BERTH_GATEWAY_STATS_INTERVAL", "1s");
        gatewayEnv.put("MP_MESSAGING_INCOMING_REGISTRATIONS_GROUP_ID", "berth-gateway-system-test-" + UUID.randomUUID());
        gateway = ServiceProcess.start(jars.get("gateway"), ServiceProcess.freePort(), common(gatewayEnv),
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
        deploy = ServiceProcess.start(jars.get("deploy"), ServiceProcess.freePort(), common(deployEnv), logs.resolve("deploy.log"),
                "/q/health/ready");
        autoscaler = startAutoscaler(ServiceProcess.freePort(), true);
        console = startConsole(logs);
    }

    private ServiceProcess startIdentity(Path logs) throws IOException, InterruptedException {
        String schema = "identity_system_test";
        Map<String, String> env = new HashMap<>();
        env.put("BERTH_POSTGRES_DB_NAME", "berth_test");
        env.put("QUARKUS_HIBERNATE_ORM_DATABASE_DEFAULT_SCHEMA", schema);
        env.put("QUARKUS_FLYWAY_SCHEMAS", schema);
        env.put("QUARKUS_FLYWAY_DEFAULT_SCHEMA", schema);
        env.put("QUARKUS_FLYWAY_CLEAN_DISABLED", "false");
        env.put("QUARKUS_FLYWAY_CLEAN_AT_START", "true");
        // a group of its own, from the end: the audit of this run, never the platform's partitions
        env.put("MP_MESSAGING_INCOMING_AUDIT_GROUP_ID", "berth-identity-system-test-" + UUID.randomUUID());
        env.put("MP_MESSAGING_INCOMING_AUDIT_AUTO_OFFSET_RESET", "latest");
        env.put("BERTH_IDENTITY_DIRECTORY_EXPIRY_SWEEP", "1s");
        return ServiceProcess.start(jars.get("identity"), ServiceProcess.freePort(), common(env), logs.resolve("identity.log"),
                "/q/health/ready");
    }

    private ServiceProcess startLogCollector(Path logs, Path agentData) throws IOException, InterruptedException {
        Path state = TARGET.resolve("system/log-collector-state");
        deleteTree(state);
        Files.createDirectories(agentData.resolve("logs"));
        Files.createDirectories(agentData.resolve("instances"));
        Map<String, String> env = new HashMap<>();
        env.put("BERTH_LOG_COLLECTOR_LOG_DIR", agentData.resolve("logs").toString());
        env.put("BERTH_LOG_COLLECTOR_INSTANCES_DIR", agentData.resolve("instances").toString());
        env.put("BERTH_LOG_COLLECTOR_STATE_DIR", state.toString());
        env.put("BERTH_LOG_COLLECTOR_RESCAN_INTERVAL", "1s");
        env.put("BERTH_LOGS_MANAGED_APPS", LOG_APPS);
        env.put("BERTH_LOGS_KEEP_AFTER_DELETE", "10s");
        env.put("MP_MESSAGING_INCOMING_DEPLOYMENTS_GROUP_ID", "berth-log-collector-system-test-" + UUID.randomUUID());
        env.put("MP_MESSAGING_INCOMING_DEPLOYMENTS_AUTO_OFFSET_RESET", "latest");
        return ServiceProcess.start(jars.get("log-collector"), ServiceProcess.freePort(), common(env),
                logs.resolve("log-collector.log"), "/q/health/ready");
    }

    private ServiceProcess startLogIndexer(Path logs) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("BERTH_LOGS_INDEX_PREFIX", INDEX_PREFIX);
        env.put("BERTH_LOGS_CONSUMER_GROUP", "berth-system-test-log-indexer-" + UUID.randomUUID());
        env.put("BERTH_LOGS_TOPIC_PATTERN", "berth\\.logs\\." + LOG_APPS);
        env.put("BERTH_LOGS_METADATA_MAX_AGE", "1s");
        env.put("BERTH_LOGS_CONSUMER_THREADS", "1");
        return ServiceProcess.start(jars.get("log-indexer"), ServiceProcess.freePort(), common(env),
                logs.resolve("log-indexer.log"), "/q/health/ready");
    }

    private ServiceProcess startConsole(Path logs) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>();
        env.put("BERTH_CONSOLE_SERVICES_DEPLOY", deploy.url());
        env.put("BERTH_CONSOLE_SERVICES_REGISTRAR", registrar.url());
        env.put("BERTH_CONSOLE_SERVICES_AUTOSCALER", autoscaler.url());
        env.put("BERTH_CONSOLE_SERVICES_LOG_INDEXER", logIndexer.url());
        env.put("BERTH_CONSOLE_SERVICES_AGENT", agent.url());
        env.put("BERTH_CONSOLE_SERVICES_GATEWAY", gateway.url());
        env.put("BERTH_CONSOLE_SERVICES_LOG_COLLECTOR", logCollector.url());
        env.put("BERTH_CONSOLE_SERVICES_IDENTITY", identity.url());
        env.put("BERTH_CONSOLE_OIDC_CLIENT_ID", OidcProvider.CLIENT_ID);
        env.put("BERTH_CONSOLE_OIDC_PROVIDER_NAME", "the test provider");
        return ServiceProcess.start(jars.get("console"), consolePort, common(env), logs.resolve("console.log"),
                "/q/health/ready");
    }

    /**
     * The services with an API, by name, at their base URL: every one the tenancy tests walk. The
     * log collector has no API of its own beyond health and metrics.
     */
    public Map<String, String> apis() {
        Map<String, String> apis = new java.util.LinkedHashMap<>();
        apis.put("deploy", deploy.url());
        apis.put("registrar", registrar.url());
        apis.put("gateway", gateway.url());
        apis.put("autoscaler", autoscaler.url());
        apis.put("log-indexer", logIndexer.url());
        apis.put("identity", identity.url());
        apis.put("agent", agent.url());
        apis.put("console", console.url());
        return apis;
    }

    /**
     * Every port this platform listens on that no app may reach: each service's, HAProxy's stats and
     * the OIDC provider's, by name. The apps' own way in is the gateway's port.
     */
    public Map<String, Integer> internalPorts() {
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (var service : Map.of("deploy", deploy, "registrar", registrar, "gateway", gateway, "autoscaler", autoscaler,
                "log-indexer", logIndexer, "log-collector", logCollector, "identity", identity, "agent", agent,
                "console", console).entrySet()) {
            ports.put(service.getKey(), service.getValue().port());
        }
        ports.put("haproxy-stats", statsPort);
        ports.put("oidc-provider", oidcPort);
        return ports;
    }

    public String identityApi() {
        return identity.url() + "/api";
    }

    public String logsApi() {
        return logIndexer.url() + "/api";
    }

    public String consoleUrl() {
        return console.url();
    }

    public String logCollectorUrl() {
        return logCollector.url();
    }

    private ServiceProcess startRegistrar(int port) throws IOException, InterruptedException {
        return ServiceProcess.start(jars.get("registrar"), port, common(Map.of(
                "BERTH_AGENT_URL", agent.url(),
                "BERTH_REGISTRAR_OWNER", "system-test",
                "BERTH_REGISTRAR_RECONCILE_INTERVAL", "5s")), TARGET.resolve("system/registrar.log"), "/q/health/ready");
    }

    private ServiceProcess startAgent(int port) throws IOException, InterruptedException {
        return ServiceProcess.start(jars.get("agent"), port, common(Map.of(
                "BERTH_AGENT_DATA_DIR", AGENT_DATA.toString(),
                "BERTH_AGENT_PORT_RANGE_START", "29000",
                "BERTH_AGENT_PORT_RANGE_END", "29999",
                "BERTH_AGENT_STOP_INSTANCES_ON_SHUTDOWN", "true",
                // instances run as containers (the default runtime), from artifacts under this root
                "BERTH_AGENT_ARTIFACT_ROOTS", ARTIFACTS.toString(),
                "BERTH_AGENT_CGROUP_PARENT", "berth-system-test")), TARGET.resolve("system/agent.log"), "/q/health/ready");
    }

    /** kill -9 of the agent; its containers go on. It stays down until {@link #startAgentAgain()}. */
    public void killAgent() throws InterruptedException {
        agent.kill();
    }

    /** The agent again, on its port and data directory; returns once it is ready (it has adopted its containers). */
    public void startAgentAgain() throws IOException, InterruptedException {
        agent = startAgent(agent.port());
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
        return ServiceProcess.start(jars.get("autoscaler"), port, common(env), TARGET.resolve("system/autoscaler.log"),
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
        for (ServiceProcess service : new ServiceProcess[] {console, autoscaler, deploy, gateway, registrar, logIndexer,
                logCollector, agent, identity}) {
            if (service != null) {
                service.stop();
            }
        }
        if (oidc != null) {
            oidc.close();
        }
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            haproxy.destroyForcibly();
        }
        deleteLogTopicsOfThisRun();
    }

    /**
     * The apps of a run get log topics in the machine's shared Kafka, where the platform's own indexer
     * (pattern berth\.logs\..*) would index them all the next time it starts: they go with the run.
     */
    private static void deleteLogTopicsOfThisRun() {
        java.util.regex.Pattern ours = java.util.regex.Pattern.compile("berth\\.logs\\." + LOG_APPS);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA))) {
            List<String> topics = admin.listTopics().names().get(30, java.util.concurrent.TimeUnit.SECONDS).stream()
                    .filter(t -> ours.matcher(t).matches()).toList();
            admin.deleteTopics(topics).all().get(60, java.util.concurrent.TimeUnit.SECONDS);
            System.out.println("system tests: deleted " + topics.size() + " log topics of their apps");
        } catch (Exception e) {
            System.out.println("system tests: could not delete their apps' log topics: " + e);
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

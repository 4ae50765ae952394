package io.berth.registrar;

import static io.berth.common.testing.TestAuth.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.KafkaEvents;
import io.berth.common.testing.ServiceProcess;
import io.berth.events.Topics;
import io.berth.events.registration.InstanceDeregistered;
import io.berth.events.registration.InstanceRegistered;
import io.berth.registrar.dns.DnsZone;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * The packaged registrar killed (-9) and started again after the runtime changed behind its back:
 * within 10 s the registry is back in line with the runtime, with no stale entry.
 */
class RegistrarRestartIT {
    private final AgentProcess agentProcess = new AgentProcess();
    private ServiceProcess registrar;
    private AgentApi agent;
    private String agentUrl;
    private int port;
    private final DnsZone dns = zone();

    @AfterEach
    void stop() throws InterruptedException {
        if (registrar != null) {
            registrar.kill();
        }
        agentProcess.stop();
    }

    @Test
    void registrarKilledWhileAnInstanceWasReplacedCatchesUpWithin10Seconds() throws Exception {
        agentUrl = agentProcess.start().get("berth.agent.url");
        agent = new AgentApi(agentUrl);
        port = ServiceProcess.freePort();
        startRegistrar();

        String app = RegistrationTest.newApp();
        String old = app + "-1-old";
        agent.startHello(old, app, 1);
        int oldPort = agent.awaitReady(old);
        await(Duration.ofSeconds(20), "registered before the crash", () -> srvPorts(app).equals(List.of(oldPort)));

        registrar.kill();
        // behind its back: the old instance goes, a new one comes
        agent.stop(old, 0);
        String fresh = app + "-2-new";
        agent.startHello(fresh, app, 2);
        int freshPort = agent.awaitReady(fresh);
        assertEquals(List.of(oldPort), srvPorts(app), "nobody has touched the registry meanwhile");

        Instant restarted = Instant.now();
        startRegistrar();
        await(Duration.ofSeconds(10), "registry equals runtime", () -> srvPorts(app).equals(List.of(freshPort)));
        long took = Duration.between(restarted, Instant.now()).toMillis();
        System.out.printf("registrar restart: registry in line with the runtime %d ms after the start began%n", took);
        assertTrue(addresses(old + "." + app).isEmpty(), "no stale A record of the old instance");
        assertEquals(List.of("127.0.0.1"), addresses(fresh + "." + app));

        JsonPath view = asAdmin().baseUri(registrar.url()).get("/api/registry/apps/" + app + "/instances").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of(fresh), view.getList("findAll { it.registered }.instance"));
        asAdmin().baseUri(registrar.url()).get("/api/registry/apps/" + app + "/consistency").then().statusCode(200)
                .body("consistent", org.hamcrest.Matchers.is(true));
        assertTrue(KafkaEvents.await(Topics.REGISTRATIONS, e -> e.data() instanceof InstanceDeregistered d
                && d.instance().equals(old) && e.time().isAfter(restarted), Duration.ofSeconds(20)).isPresent(),
                "the stale instance's deregistration is announced");
        assertTrue(KafkaEvents.await(Topics.REGISTRATIONS, e -> e.data() instanceof InstanceRegistered r
                && r.instance().equals(fresh) && r.port() == freshPort, Duration.ofSeconds(20)).isPresent());
        agent.stop(fresh, 0);
    }

    private void startRegistrar() throws Exception {
        registrar = ServiceProcess.start(Path.of("target/quarkus-app/quarkus-run.jar"), port, Map.of(
                "BERTH_AGENT_URL", agentUrl,
                // its own index in the shared zone, so it never touches the platform's registrations
                "BERTH_REGISTRAR_OWNER", "registrar-it",
                "BERTH_REGISTRAR_RECONCILE_INTERVAL", "2s"), Path.of("target/registrar-it.log"), "/q/health/live");
    }

    private static DnsZone zone() {
        try {
            return new DnsZone(env("BERTH_DNS_SERVER", "127.0.0.1"), Integer.parseInt(env("BERTH_DNS_PORT", "5353")),
                    env("BERTH_DNS_ZONE", "berth.internal."),
                    Path.of(env("BERTH_DNS_TSIG_KEY_FILE", "/var/lib/berth/run/dns/berth-registrar.key")),
                    Duration.ofSeconds(2));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private List<Integer> srvPorts(String app) {
        try {
            return dns.query(dns.relative("_http._tcp." + app), Type.SRV).stream()
                    .map(r -> ((SRVRecord) r).getPort()).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> addresses(String relative) throws IOException {
        return dns.query(dns.relative(relative), Type.A).stream()
                .map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
    }

    private static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
    }
}

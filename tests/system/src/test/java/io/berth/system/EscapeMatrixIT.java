package io.berth.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15's escape matrix on the whole platform: a developer of team A deploys, through the deploy
 * API as any user would, an app that tries every door out of its container (the platform's files,
 * team B's files, the platform's ports, team B's instance, the host's processes, writing outside its
 * directories, becoming root), then one that forks until it cannot and one that eats memory until it
 * is killed. Each attempt must be refused, and A's and B's apps keep answering through the gateway
 * the whole time.
 */
@ExtendWith(SystemPlatform.class)
class EscapeMatrixIT {
    private static final String BERTH_HOME = System.getenv().getOrDefault("BERTH_HOME", "/var/lib/berth");

    @Test
    void anAppOfTeamAIsRefusedAtEveryDoorAndTheOtherAppsKeepServing() throws Exception {
        Tenants t = Tenants.get();
        SystemPlatform platform = SystemPlatform.get();
        JsonNode b = agentInstance(t.instancesB.get(0));
        JsonNode a = agentInstance(t.instancesA.get(0));
        Traffic traffic = Traffic.start(platform, List.of(t.appA, t.appB));
        try {
            JsonNode found = probe(t, platform, a, b);
            assertTrue(found.path("uid").asInt() != 0, "not root: " + found);
            assertEquals("0000000000000000", found.path("capEff").asText(), "no capabilities");
            assertEquals("1", found.path("noNewPrivs").asText(), "no new privileges");
            assertEquals("2", found.path("seccomp").asText(), "podman's default seccomp filter");
            found.path("files").fields().forEachRemaining(f -> {
                if (f.getKey().equals("shadow")) {
                    // the image's own /etc/shadow, not the host's, and not readable by the app's uid
                    assertEquals("EACCES", f.getValue().path("read").asText(), "/etc/shadow: " + f.getValue());
                } else {
                    assertEquals(false, f.getValue().path("exists").asBoolean(), f.getKey() + " is out of sight: " + f.getValue());
                }
            });
            JsonNode targets = found.path("targets");
            assertEquals("open", targets.path("ownTeamInstance").asText(), "the check can tell an open port: " + targets);
            targets.fields().forEachRemaining(door -> {
                if (!door.getKey().equals("ownTeamInstance")) {
                    assertNotEquals("open", door.getValue().asText(), door.getKey() + " must be out of reach: " + targets);
                }
            });
            assertTrue(found.path("processes").size() <= 4, "it sees its own processes only: " + found.path("processes"));
            found.path("signals").fields().forEachRemaining(s ->
                    assertEquals("ESRCH", s.getValue().asText(), "the host's process " + s.getKey() + " is neither seen nor signalled"));
            found.path("writes").fields().forEachRemaining(w ->
                    assertNotEquals("done", w.getValue().asText(), "no new file in " + w.getKey()));
            found.path("ownWrites").fields().forEachRemaining(w ->
                    assertEquals("done", w.getValue().asText(), "its own " + w.getKey() + " is writable"));
            assertEquals("EPERM", found.path("setuid0").asText(), "setuid(0) is refused");
            assertNotEquals(0, found.path("setuidBinaryEuid").asInt(0), "a setuid-root binary runs without root: " + found);
            assertEquals("EPERM", found.path("chownToRoot").asText(), "no CAP_CHOWN");
            assertEquals("EPERM", found.path("rawSocket").asText(), "no CAP_NET_RAW");
            assertEquals("EACCES", found.path("bindPort80").asText(), "no CAP_NET_BIND_SERVICE");

            forkBombHitsThePidsLimit(t);
            memoryHogIsKilledAtItsLimit(t);
        } finally {
            traffic.stop();
        }
        System.out.println("escape matrix: " + traffic.ok + " requests to " + t.appA + " and " + t.appB
                + " answered meanwhile, " + traffic.failures.size() + " failed");
        assertTrue(traffic.ok.get() > 50, "traffic ran throughout: " + traffic.ok);
        assertEquals(List.of(), traffic.failures, "the other apps kept serving");
    }

    /** The doors, named, with what the probe app got at each. */
    private static JsonNode probe(Tenants t, SystemPlatform platform, JsonNode a, JsonNode b) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (String name : List.of("admin-token", "secrets-keys", "services.env", "berth.env")) {
            files.put(name, BERTH_HOME + "/" + name);
        }
        files.put("berthHome", BERTH_HOME);
        files.put("shadow", "/etc/shadow");
        files.put("agentData", SystemPlatform.AGENT_DATA.toString());
        files.put("teamBSpec", SystemPlatform.AGENT_DATA.resolve("instances/" + b.path("id").asText() + "/spec.json").toString());
        files.put("teamBLog", SystemPlatform.AGENT_DATA.resolve("logs/" + t.appB + "/" + b.path("id").asText() + ".log").toString());
        files.put("haproxyAdminSocket", SystemPlatform.TARGET.resolve("system/haproxy/admin.sock").toString());
        files.put("checkout", SystemPlatform.ROOT.resolve("pom.xml").toString());

        Map<String, Integer> ports = new LinkedHashMap<>(platform.internalPorts());
        ports.put("kafka", 9092);
        ports.put("elasticsearch", 9200);
        ports.put("postgresql", 5432);
        ports.put("bind", 5353);
        ports.put("haproxy-stats-platform", 8404);
        List<String> targets = new ArrayList<>();
        List<String> hosts = new ArrayList<>(List.of("gateway"));
        hosts.addAll(hostAddresses());
        for (String host : hosts) {
            ports.forEach((name, port) -> targets.add(name + "@" + host + "=" + host + ":" + port));
        }
        targets.add("teamBInstance=" + b.path("host").asText() + ":" + b.path("port").asInt());
        targets.add("ownTeamInstance=" + a.path("host").asText() + ":" + a.path("port").asInt());

        Map<String, Long> pids = Map.of("testJvm", ProcessHandle.current().pid(), "teamBInstance", b.path("pid").asLong(),
                "teamAInstance", a.path("pid").asLong());
        List<String> writes = List.of("/", "/etc", "/usr/bin", "/var", "/root", "/opt", SystemPlatform.ARTIFACTS.toString());

        String app = "sysp-" + t.run;
        String script;
        try (InputStream in = EscapeMatrixIT.class.getResourceAsStream("/escape-matrix.py")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Object> release = new LinkedHashMap<>();
        // the artifact is mounted too: the probe checks that it cannot write beside it
        release.put("artifact", SystemPlatform.SAMPLE_ARTIFACT.toString());
        release.put("command", List.of("python3", "-c", script));
        release.put("env", List.of(env("PROBE_FILES", join(files)), env("PROBE_TARGETS", String.join(",", targets)),
                env("PROBE_PIDS", join(pids)), env("PROBE_WRITES", String.join(",", writes))));
        release.put("health", Map.of("type", "http", "path", "/"));
        release.put("replicas", 1);
        String id = deploy(t, app, release);
        String line = awaitLine(app, id, "ESCAPE ", Duration.ofSeconds(120));
        System.out.println("escape matrix: " + line);
        return Http.JSON.readTree(line.substring("ESCAPE ".length()));
    }

    /** A fork bomb stops at the pids limit, and its instance still serves. */
    private static void forkBombHitsThePidsLimit(Tenants t) throws Exception {
        String script = String.join("\n",
                "import errno, http.server, os, time",
                "n, err = 0, None",
                "for i in range(5000):",
                "    try:",
                "        pid = os.fork()",
                "    except OSError as e:",
                "        err = errno.errorcode.get(e.errno)",
                "        break",
                "    if pid == 0:",
                "        os.execv('/bin/sleep', ['sleep', '3600'])",
                "    n += 1",
                "print('FORKBOMB %d %s' % (n, err), flush=True)",
                "http.server.HTTPServer(('0.0.0.0', int(os.environ['PORT'])), http.server.SimpleHTTPRequestHandler).serve_forever()");
        String app = "sysf-" + t.run;
        // the memory for a thousand sleeps: the pids limit must be what stops it, not an OOM kill
        String id = deploy(t, app, Map.of("command", List.of("python3", "-c", script),
                "health", Map.of("type", "http", "path", "/"), "replicas", 1, "resources", Map.of("memoryMiB", 1024)));
        String line = awaitLine(app, id, "FORKBOMB ", Duration.ofSeconds(90));
        String[] words = line.split(" ");
        int forks = Integer.parseInt(words[1]);
        assertEquals("EAGAIN", words[2], "fork is refused at the limit: " + line);
        assertTrue(forks < 1024, "the pids limit (1024) stops it: " + line);
        Tenants.as(t.devA, "deploy", "DELETE", "/api/apps/" + app, null);
    }

    /** A memory hog is killed at its limit, and the platform names why. */
    private static void memoryHogIsKilledAtItsLimit(Tenants t) throws Exception {
        String script = String.join("\n",
                "import http.server, os, threading, time",
                "server = http.server.HTTPServer(('0.0.0.0', int(os.environ['PORT'])), http.server.SimpleHTTPRequestHandler)",
                "threading.Thread(target=server.serve_forever, daemon=True).start()",
                "time.sleep(3)",
                "hog = []",
                "while True:",
                "    hog.append(bytearray(8 << 20))",
                "    time.sleep(0.05)");
        String app = "sysm-" + t.run;
        Map<String, Object> release = new LinkedHashMap<>(Map.of("command", List.of("python3", "-c", script),
                "health", Map.of("type", "http", "path", "/"), "replicas", 1,
                "resources", Map.of("memoryMiB", 64, "cpuMillis", 500)));
        create(t, app, release);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = Tenants.as(t.devA, "deploy", "GET", "/api/apps/" + app + "/instances", null);
            for (JsonNode i : last) {
                if (i.path("reason").asText().startsWith("OOMKilled") || i.path("restarts").asInt() > 0
                        && agentInstance(i.path("id").asText()).path("lastExit").asText().contains("OOM")) {
                    Tenants.as(t.devA, "deploy", "DELETE", "/api/apps/" + app, null);
                    return;
                }
            }
            Tenants.sleep(500);
        }
        throw new AssertionError("the memory hog was not killed for memory within 90 s: " + last);
    }

    /** The app, created by team A's developer, and its first release; its only instance once rolled out. */
    private static String deploy(Tenants t, String app, Map<String, Object> release) throws Exception {
        create(t, app, release);
        Tenants.awaitRollout(app);
        return Tenants.instances(app).get(0);
    }

    private static void create(Tenants t, String app, Map<String, Object> release) throws Exception {
        Tenants.as(t.devA, "deploy", "POST", "/api/apps", "{\"name\":\"" + app + "\"}");
        Tenants.as(t.devA, "deploy", "POST", "/api/apps/" + app + "/releases", Http.JSON.writeValueAsString(release));
    }

    /** The first line of the instance's log that starts with the prefix (the log file's CRI lines). */
    private static String awaitLine(String app, String id, String prefix, Duration timeout) throws Exception {
        Path log = SystemPlatform.AGENT_DATA.resolve("logs/" + app + "/" + id + ".log");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    int at = line.indexOf(" F " + prefix);
                    if (at > 0) {
                        return line.substring(at + 3);
                    }
                }
            }
            Tenants.sleep(200);
        }
        throw new AssertionError(app + " printed no '" + prefix + "' line within " + timeout + ": "
                + (Files.exists(log) ? Files.readString(log) : "no log"));
    }

    private static JsonNode agentInstance(String id) {
        return Tenants.ok(Http.request("GET", SystemPlatform.get().agentUrl(), "/api/instances/" + id).as(Tenants.ADMIN, null)
                .service("agent").send(), "agent instance " + id);
    }

    /** The host's own IPv4 addresses other than loopback: a service bound to every address listens on them. */
    private static List<String> hostAddresses() throws Exception {
        List<String> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback() && !nic.getName().startsWith("podman") && !nic.getName().startsWith("veth")) {
                nic.inetAddresses().filter(Inet4Address.class::isInstance).filter(ip -> !ip.getHostAddress().startsWith("10.89."))
                        .forEach(ip -> addresses.add(ip.getHostAddress()));
            }
        }
        return addresses;
    }

    private static Map<String, String> env(String name, String value) {
        return Map.of("name", name, "value", value);
    }

    private static String join(Map<String, ?> pairs) {
        List<String> items = new ArrayList<>();
        pairs.forEach((k, v) -> items.add(k + "=" + v));
        return String.join(",", items);
    }

    /** Requests through the gateway to the given apps, one every 50 ms, until stopped (at most 10 minutes). */
    static final class Traffic {
        final AtomicInteger ok = new AtomicInteger();
        final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stop = new AtomicBoolean();
        private Thread thread;

        static Traffic start(SystemPlatform platform, List<String> apps) {
            Traffic traffic = new Traffic();
            traffic.thread = new Thread(() -> {
                for (int n = 0; n < 12_000 && !traffic.stop.get(); n++) {
                    String app = apps.get(n % apps.size());
                    try {
                        String status = get(platform.gatewayPort, app + "." + SystemPlatform.DOMAIN);
                        if (status.startsWith("HTTP/1.1 200")) {
                            traffic.ok.incrementAndGet();
                        } else {
                            traffic.failures.add(app + ": " + status);
                        }
                    } catch (Exception e) {
                        traffic.failures.add(app + ": " + e);
                    }
                    Tenants.sleep(50);
                }
            }, "escape-matrix-traffic");
            traffic.thread.start();
            return traffic;
        }

        /** The status line of a GET of / through the gateway (Java's HTTP clients refuse to set Host). */
        private static String get(int port, String host) throws java.io.IOException {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                int end = answer.indexOf('\r');
                return end < 0 ? answer : answer.substring(0, end);
            }
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }
    }
}

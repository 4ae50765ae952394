package io.berth.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults on the traffic path, under load: an instance killed, an instance hung, the agent killed, the
 * registrar killed mid-rollout.
 */
@ExtendWith(SystemPlatform.class)
class TrafficFaultsIT {

    @Test
    void anInstanceKilledUnderLoadLeavesThePoolAtOnceAndNoClientSeesAnError() throws Exception {
        SystemPlatform platform = SystemPlatform.get();
        String app = Api.deploySample("kill", 3);
        LoadProcess load = LoadProcess.start(app, 100, 1500);
        Thread.sleep(3000);

        JsonNode victim = Api.get(platform.agentUrl() + "/api/instances?app=" + app).get(0);
        String id = victim.path("id").asText();
        long killedAt = System.nanoTime();
        ProcessHandle.of(victim.path("pid").asLong()).orElseThrow().destroyForcibly();
        Api.await(platform.gatewayApi() + "/api/gateway/routes?app=" + app, routes -> !serving(routes).contains(id),
                Duration.ofSeconds(5));
        long outMillis = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("killed instance out of the pool after " + outMillis + " ms");
        // restarted within 5 s of the kill: a new container running for the same instance
        JsonNode back = Api.await(platform.agentUrl() + "/api/instances/" + id,
                i -> i.path("restarts").asInt() == 1 && i.hasNonNull("pid"),
                Duration.ofSeconds(5).minusNanos(System.nanoTime() - killedAt));
        System.out.println("killed instance's container running again after " + (System.nanoTime() - killedAt) / 1_000_000
                + " ms: " + back.path("lastExit").asText());

        List<String> output = load.stop();
        String summary = LoadProcess.summary(output);
        System.out.println(summary);
        assertTrue(summary.contains(" 0 failed"), String.join("\n", output));
        // the gateway's health check runs every second: the registrar must be at least as quick
        assertTrue(outMillis < 1000, "out of the pool after " + outMillis + " ms");
        Api.call("DELETE", platform.deployApi() + "/apps/" + app, null);
    }

    @Test
    void aHungInstanceIsRestartedByItsLivenessCheckAndNoClientSeesAnError() throws Exception {
        SystemPlatform platform = SystemPlatform.get();
        String app = "hang-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
        Api.call("POST", platform.deployApi() + "/apps", "{\"name\":\"" + app + "\"}");
        Api.release(app, 3, "", "{\"type\":\"http\",\"path\":\"/health\",\"restartThreshold\":3}");
        Api.awaitRollout(app, 1, "COMPLETED");
        LoadProcess load = LoadProcess.start(app, 100, 1500);
        Thread.sleep(3000);

        JsonNode victim = Api.get(platform.agentUrl() + "/api/instances?app=" + app).get(0);
        String id = victim.path("id").asText();
        java.net.http.HttpResponse<String> told = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create("http://" + victim.path("host").asText() + ":" + victim.path("port").asInt()
                        + "/admin/hang")).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, told.statusCode(), told.body());
        long hungAt = System.nanoTime();
        JsonNode restarted = Api.await(platform.agentUrl() + "/api/instances/" + id,
                i -> i.path("restarts").asInt() == 1, Duration.ofSeconds(20));
        System.out.println("hung instance restarted after " + (System.nanoTime() - hungAt) / 1_000_000 + " ms: "
                + restarted.path("reason").asText() + " / " + restarted.path("lastExit").asText());
        Api.await(platform.agentUrl() + "/api/instances/" + id, i -> "READY".equals(i.path("state").asText()),
                Duration.ofSeconds(30));

        List<String> output = load.stop();
        String summary = LoadProcess.summary(output);
        System.out.println(summary);
        assertTrue(summary.contains(" 0 failed"), String.join("\n", output));
        Api.call("DELETE", platform.deployApi() + "/apps/" + app, null);
    }

    @Test
    void anAgentKilledUnderLoadLeavesItsContainersServingAndAdoptsEachOnRestart() throws Exception {
        SystemPlatform platform = SystemPlatform.get();
        String app = Api.deploySample("agentkill", 3);
        Set<String> before = new TreeSet<>();
        for (JsonNode i : Api.get(platform.agentUrl() + "/api/instances?app=" + app)) {
            before.add(i.path("id").asText() + "@" + i.path("pid").asLong());
        }
        LoadProcess load = LoadProcess.start(app, 100, 1500);
        Thread.sleep(3000);
        platform.killAgent();
        Thread.sleep(5000);
        long restartAt = System.nanoTime();
        platform.startAgentAgain();
        System.out.println("agent ready again " + (System.nanoTime() - restartAt) / 1_000_000 + " ms after its restart began");
        Thread.sleep(3000);
        List<String> output = load.stop();
        String summary = LoadProcess.summary(output);
        System.out.println(summary);
        assertTrue(summary.contains(" 0 failed"), String.join("\n", output));

        // the same instances, each on the same process: adopted, none started twice, none lost
        Set<String> after = new TreeSet<>();
        for (JsonNode i : Api.get(platform.agentUrl() + "/api/instances?app=" + app)) {
            assertEquals("READY", i.path("state").asText(), i.toString());
            after.add(i.path("id").asText() + "@" + i.path("pid").asLong());
        }
        assertEquals(before, after);
        Process ps = new ProcessBuilder("podman", "--runtime", "/usr/sbin/runc", "--cgroup-manager=cgroupfs",
                "--events-backend=file", "ps", "--all", "--filter", "label=berth.io/app=" + app, "--format", "{{.Names}}")
                .redirectErrorStream(true).start();
        String names = new String(ps.getInputStream().readAllBytes()).trim();
        ps.waitFor();
        assertEquals(3, names.lines().count(), "one container an instance, no orphan: " + names);
        Api.awaitRollout(app, 1, "COMPLETED");
        Api.call("DELETE", platform.deployApi() + "/apps/" + app, null);
    }

    @Test
    void aRegistrarKilledInTheMiddleOfARolloutHealsWithinTenSeconds() throws Exception {
        SystemPlatform platform = SystemPlatform.get();
        String app = Api.deploySample("reg", 3);
        // instances of v2 start slowly, so the rolling update is still going when the registrar dies
        Api.release(app, 3, "{\"name\":\"SAMPLE_START_DELAY_MS\",\"value\":\"1500\"}");
        Api.await(platform.deployApi() + "/apps/" + app + "/rollouts/current",
                r -> r.path("toRelease").asInt() == 2 && r.path("ready").asInt() >= 1, Duration.ofSeconds(60));
        platform.killRegistrar();
        Thread.sleep(2000);
        long restartedAt = System.nanoTime();
        platform.startRegistrarAgain();

        String agreement = awaitAgreement(platform, app, Duration.ofSeconds(10));
        long healedMillis = (System.nanoTime() - restartedAt) / 1_000_000;
        System.out.println("registry, gateway and runtime agree " + healedMillis + " ms after the restart began: " + agreement);
        Api.awaitRollout(app, 2, "COMPLETED");
        awaitAgreement(platform, app, Duration.ofSeconds(10));
        JsonNode consistency = Api.get(platform.registrarUrl() + "/api/registry/apps/" + app + "/consistency");
        assertEquals(3, consistency.path("registered").asInt(), consistency.toString());
        Api.call("DELETE", platform.deployApi() + "/apps/" + app, null);
    }

    /** The Ready instances on the agent = what the registry holds = what the gateway serves, nothing stale. */
    private static String awaitAgreement(SystemPlatform platform, String app, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            Set<String> ready = new TreeSet<>();
            for (JsonNode i : Api.get(platform.agentUrl() + "/api/instances?app=" + app)) {
                if ("READY".equals(i.path("state").asText())) {
                    ready.add(i.path("id").asText());
                }
            }
            JsonNode consistency = Api.get(platform.registrarUrl() + "/api/registry/apps/" + app + "/consistency");
            JsonNode routes = Api.get(platform.gatewayApi() + "/api/gateway/routes?app=" + app);
            Set<String> inGateway = new TreeSet<>();
            boolean stale = false;
            for (JsonNode route : routes) {
                for (JsonNode server : route.path("servers")) {
                    inGateway.add(server.path("instance").asText());
                    stale |= !server.path("registered").asBoolean();
                }
            }
            last = "ready " + ready + ", gateway " + inGateway + ", consistent " + consistency.path("consistent")
                    + ", stale " + stale;
            if (!ready.isEmpty() && consistency.path("consistent").asBoolean() && !stale && ready.equals(inGateway)
                    && ready.equals(serving(routes))) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no agreement within " + timeout + ": " + last);
    }

    /** The instances the gateway sends traffic to. */
    static Set<String> serving(JsonNode routes) {
        Set<String> up = new TreeSet<>();
        for (JsonNode route : routes) {
            for (JsonNode server : route.path("servers")) {
                if (server.path("registered").asBoolean() && server.path("state").asText().startsWith("UP")) {
                    up.add(server.path("instance").asText());
                }
            }
        }
        return up;
    }
}

package io.berth.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The autoscaler end to end: the gateway's HAProxy statistics drive a requests/s policy, the deploy
 * service applies the decisions, the load comes from its own process through the gateway.
 */
@ExtendWith(SystemPlatform.class)
class AutoscaleIT {

    @Test
    void aSteadyLoadScalesTheAppUpOnceAndItComesBackDownWhenTheLoadEnds() throws Exception {
        SystemPlatform platform = SystemPlatform.get();
        String app = Api.deploySample("auto", 1);
        Api.call("PUT", platform.autoscalerApi() + "/apps/" + app + "/autoscaling", "{\"minReplicas\":1,\"maxReplicas\":6,"
                + "\"metrics\":[{\"metric\":\"requestsPerSecond\",\"target\":50}],"
                + "\"behavior\":{\"scaleDownStabilizationSeconds\":15,\"cooldownSeconds\":3}}");

        LoadProcess load = LoadProcess.start(app, 250, 250 * 45);
        long started = System.nanoTime();
        List<Integer> replicas = new ArrayList<>();
        long reachedFive = -1;
        boolean restarted = false;
        while (System.nanoTime() - started < Duration.ofSeconds(44).toNanos()) {
            int now = Api.get(platform.deployApi() + "/apps/" + app).path("replicas").asInt();
            if (replicas.isEmpty() || replicas.get(replicas.size() - 1) != now) {
                replicas.add(now);
            }
            if (now == 5 && reachedFive < 0) {
                reachedFive = (System.nanoTime() - started) / 1_000_000;
            }
            if (reachedFive > 0 && !restarted && (System.nanoTime() - started) / 1_000_000 > reachedFive + 5000) {
                // in the middle: a new autoscaler must neither repeat a decision nor lose the state
                platform.restartAutoscaler();
                restarted = true;
            }
            Thread.sleep(250);
        }
        List<String> output = load.stop();
        String summary = LoadProcess.summary(output);
        System.out.println("replicas under load " + replicas + ", 5 reached after " + reachedFive + " ms; " + summary);

        assertTrue(reachedFive > 0 && reachedFive <= 20_000, "5 instances after " + reachedFive + " ms: " + replicas);
        assertTrue(restarted, "the autoscaler was restarted under load");
        assertTrue(reversals(replicas) <= 1, "reversed more than once under steady load: " + replicas);
        assertEquals(5, replicas.get(replicas.size() - 1), "under steady load it stays at 5: " + replicas);
        assertTrue(summary.contains(" 0 failed"), String.join("\n", output));

        long loadEnded = System.nanoTime();
        Api.await(platform.deployApi() + "/apps/" + app, a -> a.path("replicas").asInt() == 1, Duration.ofSeconds(60));
        System.out.println("back to 1 instance " + (System.nanoTime() - loadEnded) / 1_000_000 + " ms after the load ended");

        // a decision is marked published in a transaction of its own after the broker's ack, so deploy
        // may have applied the last one a moment before
        JsonNode decisions = Api.await(platform.autoscalerApi() + "/apps/" + app + "/autoscaling/decisions", list -> {
            for (JsonNode d : list) {
                if (!d.path("published").asBoolean()) {
                    return false;
                }
            }
            return true;
        }, Duration.ofSeconds(20));
        Set<String> ids = new HashSet<>();
        for (JsonNode d : decisions) {
            assertTrue(ids.add(d.path("id").asText()), "a decision twice: " + decisions);
            assertTrue(d.path("published").asBoolean(), d.toString());
        }
        assertTrue(decisions.get(decisions.size() - 1).path("reason").asText().contains("requestsPerSecond"),
                decisions.toString());
        // each decision applied once: the app's history has exactly one scale per decision
        int scales = 0;
        for (JsonNode h : Api.get(platform.deployApi() + "/apps/" + app + "/history")) {
            if (h.path("kind").asText().equals("scale")) {
                assertEquals("autoscaler", h.path("actor").asText(), h.toString());
                scales++;
            }
        }
        assertEquals(ids.size(), scales, "decisions " + decisions + " vs scales in the history");
        Api.call("DELETE", platform.deployApi() + "/apps/" + app, null);
    }

    private static int reversals(List<Integer> series) {
        int reversals = 0;
        int direction = 0;
        for (int i = 1; i < series.size(); i++) {
            int d = Integer.signum(series.get(i) - series.get(i - 1));
            if (d != 0 && direction != 0 && d != direction) {
                reversals++;
            }
            if (d != 0) {
                direction = d;
            }
        }
        return reversals;
    }
}

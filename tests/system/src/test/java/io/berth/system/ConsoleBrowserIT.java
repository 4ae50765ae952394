package io.berth.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * Issue 8, acceptance 1: a person drives the web console in headless Chromium, through the console's
 * one origin (its API proxy) to the packaged platform: signs in with a team member's token, creates
 * an app, deploys the sample and watches the rollout finish, sees the app's log lines arrive live
 * and finds them by time, scales, rolls back, sets an autoscaling policy; and team B's member
 * neither lists team A's app nor opens it. Screenshots of the main pages are taken on the way
 * (docs/screenshots with -Dberth.screenshots=docs).
 */
@ExtendWith(SystemPlatform.class)
class ConsoleBrowserIT {
    private static final Duration ROLLOUT = Duration.ofSeconds(150);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");

    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final String teamA = "sysca-" + run;
    private final String teamB = "syscb-" + run;
    /** "sys*" names: this platform's log collector and indexer handle their logs */
    private final String app = "sysc-" + run;

    @Test
    void aMemberDeploysWatchesLogsScalesRollsBackAndAutoscalesAndAnotherTeamSeesNothing() throws Exception {
        SystemPlatform platform = SystemPlatform.get();
        Tenants.admin("identity", "POST", "/api/teams", "{\"name\":\"" + teamA + "\"}");
        Tenants.admin("identity", "POST", "/api/teams", "{\"name\":\"" + teamB + "\"}");
        Tenants.Member devA = member(teamA, "cdev-a-" + run, "developer");
        Tenants.Member adminA = member(teamA, "cadmin-a-" + run, "admin");
        Tenants.Member devB = member(teamB, "cdev-b-" + run, "developer");
        // a few more apps of team A, so that the apps page shows a team's list, not one row
        for (String other : List.of("web", "billing", "search")) {
            Tenants.as(devA, "deploy", "POST", "/api/apps", "{\"name\":\"sysc-" + run + "-" + other + "\"}");
        }
        AtomicBoolean traffic = new AtomicBoolean();
        AtomicInteger requests = new AtomicInteger();
        Thread load = null;

        try (Browser browser = new Browser(platform.consoleUrl())) {
            // a wrong token is refused on the login page, in words
            browser.open("#/login");
            browser.type("#token", "not-a-token-" + run, Keys.ENTER);
            String refusal = browser.awaitText("#token-error", "not accepted", Duration.ofSeconds(10)).getText();
            assertTrue(refusal.contains("wrong, revoked or expired"), refusal);
            assertEquals("true", browser.driver.findElement(By.id("token")).getAttribute("aria-invalid"));

            browser.signIn(devA.token());
            assertEquals(devA.user(), browser.text("#session [data-user]"));
            assertFalse(browser.driver.getPageSource().contains(devA.token()), "the token is never put on the page");

            // a new app, from the apps page's form, by name and Enter
            browser.open("#/apps");
            browser.await("#apps-table");
            if (!browser.driver.findElement(By.id("new-app")).isDisplayed()) {
                browser.driver.findElement(By.id("new-app-toggle")).click();
            }
            browser.type("#new-app-name", "Bad Name", Keys.ENTER);
            assertTrue(browser.awaitText("#new-app-name-error", "lower-case", Duration.ofSeconds(5)).isDisplayed());
            browser.type("#new-app-name", app, Keys.ENTER);
            browser.awaitTrue(d -> d.getCurrentUrl().endsWith("#/apps/" + app + "/deploy"), Duration.ofSeconds(15), "the new app's deploy tab");
            assertEquals(teamA, Api.get(platform.deployApi() + "/apps/" + app).path("team").asText());

            // the server's refusal is shown under the field it names (the client cannot check an image reference)
            browser.await("#release-form");
            browser.type("#rel-command", "java " + SystemPlatform.SAMPLE_JVM_FLAGS + " -jar " + SystemPlatform.SAMPLE_ARTIFACT);
            browser.type("#rel-artifact", SystemPlatform.SAMPLE_ARTIFACT.toString());
            browser.type("#rel-image", "not an image!");
            browser.type("#rel-replicas", "1");
            browser.driver.findElement(By.cssSelector("#release-form button[type=submit]")).click();
            String imageError = browser.awaitText("#rel-image-error", "image reference", Duration.ofSeconds(15)).getText();
            assertTrue(imageError.contains("must be an image reference"), imageError);
            assertTrue(browser.text("#release-form .form-alert").contains("Invalid request"), browser.text("#release-form .form-alert"));
            assertEquals(0, Api.get(platform.deployApi() + "/apps/" + app + "/releases").size(), "nothing was released");

            // the sample, deployed, and its rollout watched on the page until it completes
            browser.driver.findElement(By.id("rel-image")).clear();
            browser.type("#rel-env", "GREETING=console");
            browser.driver.findElement(By.id("rel-command")).sendKeys(Keys.ENTER);
            Set<String> states = watchRollout(browser, 1, "COMPLETED", null);
            System.out.println("instance states seen on the deploy page during v1's rollout: " + states);
            assertTrue(states.contains("READY"), "the new instance was seen Ready: " + states);
            WebElement instanceRow = browser.await("#deploy-rollout tr[data-instance]");
            assertTrue(instanceRow.getText().contains("passing"), instanceRow.getText());

            // traffic through the gateway from here on: log lines for the tail, points for the charts
            String path = "/console-it-" + run;
            traffic.set(true);
            load = new Thread(() -> {
                while (traffic.get()) {
                    gatewayGet(platform, app, path);
                    requests.incrementAndGet();
                    // 3 to 8 requests a second, in waves: the charts show a day's shape in minutes
                    Browser.sleep((long) (120 + 120 * (1 + Math.sin(System.nanoTime() / 1e9 / 15))));
                }
            }, "console-it-traffic");
            load.setDaemon(true);

            // the logs tab follows the app live: lines of requests made now arrive in the tail
            browser.tab("logs");
            browser.awaitText("#tail-state", "Live", Duration.ofSeconds(30));
            String marker = "/console-live-" + run;
            load.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            boolean seen = false;
            while (!seen && System.nanoTime() < deadline) {
                gatewayGet(platform, app, marker);
                seen = browser.all("#tail .line").stream().anyMatch(l -> l.getText().contains("GET " + marker));
                if (!seen) {
                    Browser.sleep(1000);
                }
            }
            assertTrue(seen, "a request's log line arrived in the live tail: " + browser.text("#tail"));

            // search by time range: the line is in the last ten minutes, not in an hour that ended before the app existed
            LocalDateTime now = LocalDateTime.now();
            browser.type("#logs-q", marker.substring(1));
            browser.setValue("#logs-from", now.minusMinutes(10).format(LOCAL));
            browser.setValue("#logs-to", now.plusMinutes(2).format(LOCAL));
            awaitSearch(browser, marker, Duration.ofSeconds(60));
            browser.screenshot("logs", ".tabs");
            browser.setValue("#logs-from", now.minusHours(3).format(LOCAL));
            browser.setValue("#logs-to", now.minusHours(2).format(LOCAL));
            browser.driver.findElement(By.cssSelector("#logs-form button[type=submit]")).click();
            browser.awaitText("#results", "No lines", Duration.ofSeconds(20));

            // a second release, then a rollback to the first from the releases tab
            browser.tab("deploy");
            browser.type("#rel-env", "GREETING=second");
            browser.driver.findElement(By.id("rel-command")).sendKeys(Keys.ENTER);
            // the rolling update: v1's instance serves until v2's is Ready
            watchRollout(browser, 2, "COMPLETED", "rollout");
            browser.tab("releases");
            browser.awaitText("#releases tr[data-release='2']", "current", Duration.ofSeconds(10));
            browser.driver.findElement(By.id("rollback-previous")).click();
            browser.awaitTrue(d -> d.getCurrentUrl().endsWith("/deploy"), Duration.ofSeconds(15), "the rollback's rollout is shown");
            watchRollout(browser, 1, "COMPLETED", null);
            assertEquals(1, Api.get(platform.deployApi() + "/apps/" + app).path("currentRelease").asInt());
            browser.tab("releases");
            browser.awaitText("#releases tr[data-release='1']", "current", Duration.ofSeconds(10));
            browser.awaitText("#history", "rollback", Duration.ofSeconds(10));

            // a canary: v3 beside v1 with a quarter of the traffic, promoted from the rollout panel
            browser.tab("deploy");
            browser.type("#rel-env", "GREETING=canary");
            browser.type("#rel-canary", "25", Keys.ENTER);
            watchRollout(browser, 3, "CANARY", null);
            assertTrue(browser.text("#deploy-rollout").contains("25%"), browser.text("#deploy-rollout"));
            browser.screenshot("canary", null);
            browser.await("[data-canary='promote']").click();
            watchRollout(browser, 3, "COMPLETED", null);
            assertEquals(3, Api.get(platform.deployApi() + "/apps/" + app).path("currentRelease").asInt());

            // scale to 2 and see both instances Ready on the instances tab
            browser.tab("instances");
            browser.type("#scale-replicas", "2", Keys.ENTER);
            browser.awaitText("#toasts", "Scaled to 2 instances", Duration.ofSeconds(15));
            assertEquals(2, Api.get(platform.deployApi() + "/apps/" + app).path("replicas").asInt());
            browser.awaitTrue(d -> d.findElements(By.cssSelector("#instances tr[data-state='READY']")).size() == 2,
                    ROLLOUT, "two Ready instances on the instances tab");
            // each instance's CPU and memory, from the agent's samples (every 5 s) through the console's read model
            browser.awaitTrue(d -> d.findElements(By.cssSelector("#instances tr[data-state='READY'] td[data-memory]")).stream()
                    .filter(td -> td.getText().endsWith("MiB")).count() == 2, Duration.ofSeconds(30), "memory of both instances");
            // the header's status follows (the console's read model, refreshed every 5 s)
            browser.awaitText("#app-status", "running", Duration.ofSeconds(30));
            browser.screenshot("instances", null);

            // an autoscaling policy, set in the form and shown as in effect (and still there after a reload)
            browser.tab("autoscaling");
            browser.type("#as-min", "1");
            browser.type("#as-max", "3");
            new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("as-metric"))).selectByValue("requestsPerSecond");
            browser.type("#as-target", "1000", Keys.ENTER);
            browser.awaitText("#policy-summary", "1 to 3 instances", Duration.ofSeconds(15));
            JsonNode policy = Api.get(platform.autoscalerApi() + "/apps/" + app + "/autoscaling");
            assertEquals(3, policy.path("maxReplicas").asInt());
            assertEquals(1000.0, policy.path("metrics").get(0).path("target").asDouble());
            browser.driver.navigate().refresh();
            browser.awaitText("#policy-summary", "Requests per second: 1000 per instance", Duration.ofSeconds(15));
            browser.screenshot("autoscaling", null);
            // a policy the autoscaler refuses comes back under its field, and nothing changes
            browser.type("#as-target", "2000000000", Keys.ENTER);
            browser.awaitText("#as-target-error", "1000000000", Duration.ofSeconds(15));
            assertEquals(1000.0, Api.get(platform.autoscalerApi() + "/apps/" + app + "/autoscaling").path("metrics").get(0).path("target").asDouble());

            // the pages as a person sees them, with the traffic of the last minutes (for the docs' pictures, a few more)
            if (Browser.DOCS) {
                awaitChartHistory(platform, devA, app, 18, Duration.ofSeconds(240));
            }
            browser.open("#/apps/" + app);
            browser.await("[data-chart='chart-rps']");
            browser.awaitText("#ov-route", SystemPlatform.DOMAIN, Duration.ofSeconds(15));
            browser.screenshot("app-overview", null);
            browser.open("#/apps");
            browser.await("#apps-table");
            assertTrue(browser.all("#apps-table tr[data-app='" + app + "']").size() == 1);
            browser.screenshot("apps", null);
            browser.signOut();

            browser.signIn(adminA.token());
            browser.open("#/audit");
            browser.awaitText("#audit", devA.user(), Duration.ofSeconds(30));
            browser.screenshot("audit", null);
            browser.signOut();

            // the platform admin's view of Berth's own services
            browser.signIn(Tenants.ADMIN);
            browser.open("#/platform");
            WebElement deployRow = browser.await("#services tr[data-service='deploy']");
            assertTrue(deployRow.getText().contains("ready") && !deployRow.getText().contains("not ready"), deployRow.getText());
            browser.screenshot("platform", null);
            browser.signOut();

            // team B: A's app is not in the list, and its address says "not found"
            browser.signIn(devB.token());
            browser.open("#/apps");
            browser.await("#apps-region[aria-busy='false']");
            assertTrue(browser.all("[data-app='" + app + "']").isEmpty(), "team B's list does not show A's app");
            assertFalse(browser.text("#main").contains(app), browser.text("#main"));
            browser.open("#/apps/" + app + "/logs");
            String notFound = browser.awaitText("#main", "Not found", Duration.ofSeconds(15)).getText();
            assertTrue(notFound.contains("does not exist, or it belongs to a team you are not in"), notFound);
            assertTrue(browser.all("#tab-panel").isEmpty(), "no tab of A's app is shown to B");
        } finally {
            traffic.set(false);
            if (load != null) {
                load.join(5000);
            }
        }
        System.out.println("requests sent through the gateway during the browser test: " + requests.get());
    }

    /** Until the console's metrics of the app hold this many points with traffic. */
    private static void awaitChartHistory(SystemPlatform platform, Tenants.Member member, String app, int points, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            Http.Response metrics = Http.request("GET", platform.consoleUrl(), "/api/console/apps/" + app + "/metrics?minutes=15")
                    .as(member.token(), null).send();
            seen = 0;
            if (metrics.status() == 200) {
                for (JsonNode p : metrics.json().path("points")) {
                    if (p.hasNonNull("requestsPerSecond")) {
                        seen++;
                    }
                }
            }
            if (seen >= points) {
                return;
            }
            Browser.sleep(2000);
        }
        System.out.println("the charts have " + seen + " points of traffic, fewer than " + points);
    }

    /** A member of a team with a new token, accepted by every service. */
    private static Tenants.Member member(String team, String user, String role) {
        Tenants.admin("identity", "POST", "/api/teams/" + team + "/members", "{\"user\":\"" + user + "\",\"role\":\"" + role + "\"}");
        Tenants.Member member = Tenants.token(user, "console-it", null);
        Tenants.awaitAcceptedEverywhere(member.token(), Duration.ofSeconds(10));
        return member;
    }

    /**
     * Watches the deploy tab's rollout panel until the rollout to release reaches state; returns
     * the instance states the panel showed meanwhile. Takes a screenshot mid-way when named.
     */
    private static Set<String> watchRollout(Browser browser, int release, String state, String screenshot) throws Exception {
        Set<String> states = new TreeSet<>();
        boolean shot = screenshot == null;
        long deadline = System.nanoTime() + ROLLOUT.toNanos();
        while (System.nanoTime() < deadline) {
            readInstanceStates(browser, states);
            String now = "";
            boolean ours = false;
            String text = "";
            try {
                List<WebElement> summary = browser.all("#deploy-rollout [data-rollout-state]");
                if (!summary.isEmpty()) {
                    now = summary.get(0).getAttribute("data-rollout-state");
                    ours = String.valueOf(release).equals(summary.get(0).getAttribute("data-rollout-to"));
                    text = browser.text("#deploy-rollout .rollout-summary");
                }
            } catch (org.openqa.selenium.StaleElementReferenceException repainted) {
                continue;
            }
            if (!shot && "PROGRESSING".equals(now) && !browser.all("#deploy-rollout tr[data-instance]").isEmpty()) {
                browser.screenshot(screenshot, null);
                shot = true;
            }
            if (state.equals(now) && ours && (!"CANARY".equals(state) || !browser.all("#deploy-rollout [data-canary]").isEmpty())) {
                if (!shot) {
                    browser.screenshot(screenshot, null);
                }
                // the rows read above may be from the paint before the one that showed this state
                readInstanceStates(browser, states);
                return states;
            }
            if (("FAILED".equals(now) || "ROLLED_BACK".equals(now)) && ours) {
                throw new AssertionError("the rollout to v" + release + " ended " + now + ": " + text);
            }
            Browser.sleep(150);
        }
        throw new AssertionError("the rollout to v" + release + " did not reach " + state + " on the page in " + ROLLOUT
                + ": " + browser.text("#deploy-rollout"));
    }

    private static void readInstanceStates(Browser browser, Set<String> states) {
        for (WebElement row : browser.all("#deploy-rollout tr[data-instance]")) {
            try {
                states.add(row.getAttribute("data-state"));
            } catch (org.openqa.selenium.StaleElementReferenceException repainted) {
                // the panel repainted between the lookup and the read: the next round reads it
            }
        }
    }

    /** Searches (the form's Search) until the results show the marker: the indexer makes lines searchable within seconds. */
    private static void awaitSearch(Browser browser, String marker, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            browser.driver.findElement(By.cssSelector("#logs-form button[type=submit]")).click();
            browser.awaitTrue(d -> !d.findElement(By.cssSelector("#logs-form button[type=submit]")).getText().contains("Searching"),
                    Duration.ofSeconds(20), "the search answered");
            if (browser.text("#results").contains("GET " + marker)) {
                return;
            }
            Browser.sleep(2000);
        }
        throw new AssertionError("the search did not find " + marker + ": " + browser.text("#results"));
    }

    /** GET path of the app through the system tests' gateway (HAProxy routes by Host). */
    static int gatewayGet(SystemPlatform platform, String app, String path) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", platform.gatewayPort), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + app + "." + SystemPlatform.DOMAIN + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }
}

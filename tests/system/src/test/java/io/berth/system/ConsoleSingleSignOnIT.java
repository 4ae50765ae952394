package io.berth.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * Issue 8: "Log in (token, or the OIDC provider when configured)". The platform of the system tests
 * trusts a real OIDC provider (node-oidc-provider, {@link OidcProvider}); the console offers it on
 * its login page. A person signs in there with the provider's own pages and comes back signed in as
 * the provider's user, in the team their groups name, seeing that team's apps and no other's.
 */
@ExtendWith(SystemPlatform.class)
class ConsoleSingleSignOnIT {
    private static final String USER = "sso-dev";
    private static final String TEAM = "sso-team";
    private final String run = UUID.randomUUID().toString().substring(0, 6);

    @Test
    void aPersonSignsInThroughTheProviderAndSeesTheirGroupsTeamsAppsOnly() throws Exception {
        SystemPlatform platform = SystemPlatform.get();
        assertEquals(java.util.List.of("berth:" + TEAM + ":developer"), SystemPlatform.OIDC_USERS.get(USER));
        // an app of another team, made by the platform admin: the SSO user must not see it
        String otherTeamApp = "sysso-other-" + run;
        Tenants.admin("identity", "POST", "/api/teams", "{\"name\":\"sysso-" + run + "\"}");
        Tenants.admin("deploy", "POST", "/api/apps", "{\"name\":\"" + otherTeamApp + "\",\"team\":\"sysso-" + run + "\"}");

        try (Browser browser = new Browser(platform.consoleUrl())) {
            browser.open("#/login");
            browser.awaitText("#sso-sign-in", "Sign in with the test provider", Duration.ofSeconds(15)).click();

            // the provider's own login and consent pages
            browser.await(By.name("login"), Duration.ofSeconds(15)).sendKeys(USER);
            browser.driver.findElement(By.name("password")).sendKeys("any password", Keys.ENTER);
            browser.awaitTrue(d -> d.getCurrentUrl().startsWith(platform.consoleUrl())
                    || !d.findElements(By.cssSelector("button[type=submit]")).isEmpty(), Duration.ofSeconds(15), "the consent page");
            if (!browser.driver.getCurrentUrl().startsWith(platform.consoleUrl())) {
                browser.driver.findElement(By.cssSelector("button[type=submit]")).click();
            }

            // back at the console, signed in as the provider's user, with no code left in the address
            browser.awaitText("#session [data-user]", USER, Duration.ofSeconds(20));
            assertFalse(browser.driver.getCurrentUrl().contains("code="), browser.driver.getCurrentUrl());
            String idToken = (String) browser.script("return sessionStorage.getItem('berth.token')");
            assertTrue(idToken != null && idToken.startsWith("eyJ"), "the bearer token is the provider's ID token");

            // every service takes it: deploy makes an app for the user's team, identity says who they are
            JsonNode me = Http.request("GET", platform.consoleUrl(), "/api/me").as(idToken, null).send().json();
            assertEquals(USER, me.path("user").asText(), me.toString());
            assertEquals(TEAM, me.path("teams").path(0).path("team").asText(), "the provider's group is the team: " + me);
            assertEquals("developer", me.path("teams").path(0).path("role").asText(), me.toString());
            String app = "sysso-" + run;
            Http.Response created = Http.request("POST", platform.consoleUrl(), "/api/apps").as(idToken, USER)
                    .service("deploy").body("{\"name\":\"" + app + "\"}").send();
            assertEquals(201, created.status(), created.toString());
            assertEquals(TEAM, created.json().path("team").asText());

            // the console's overview is fed by deploy's events: the page shows the app once they reached it
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            JsonNode overview = null;
            while (System.nanoTime() < deadline) {
                overview = Http.request("GET", platform.consoleUrl(), "/api/console/overview").as(idToken, null).send().json();
                if (overview.path("apps").toString().contains("\"" + app + "\"")) {
                    break;
                }
                Browser.sleep(200);
            }
            assertTrue(overview.path("apps").toString().contains("\"" + app + "\""), overview.toString());
            // earlier runs' apps of the same team may be there too (their events stay in Kafka): no other team's
            overview.path("apps").forEach(a -> assertEquals(TEAM, a.path("team").asText(), "only the user's team: " + a));
            // the apps page was shown on the way in, before the app existed: load it again, as a person would
            browser.open("#/apps");
            browser.driver.navigate().refresh();
            browser.awaitText("main", app, Duration.ofSeconds(20));
            assertFalse(browser.text("main").contains(otherTeamApp), "another team's app is not listed");
            browser.open("#/apps/" + otherTeamApp);
            browser.awaitText("main", "not", Duration.ofSeconds(20));
            assertFalse(browser.text("main").contains("sysso-" + run + "\n"), "nothing of the other team shows");

            // a return to the console that this tab did not start is refused with words a person can act on
            browser.signOut();
            browser.driver.get(platform.consoleUrl() + "/?code=forged&state=forged");
            browser.awaitText("main", "did not start here", Duration.ofSeconds(15));
            assertTrue(browser.all("#session [data-user]").isEmpty(), "not signed in");
        }
    }
}

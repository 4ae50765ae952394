package io.berth.console.login;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@QuarkusTest
class LoginOptionsTest {

    @Test
    void theLoginPageLearnsWithoutATokenThatOnlyTokensWorkWhenNoProviderIsConfigured() {
        given().get("/login-options.json").then().statusCode(200)
                .header("Cache-Control", equalTo("no-store"))
                .body("token", equalTo(true))
                .body("oidc", nullValue());
    }

    @Test
    void aProviderWhoseDiscoveryCannotBeReadOffersNoSingleSignOnRatherThanABrokenButton() {
        LoginOptions unreachable = new LoginOptions(Optional.of("http://127.0.0.1:9/"), Optional.of("berth-console"),
                "openid profile", "single sign-on");
        assertTrue(unreachable.oidc().isEmpty());
    }

    @Test
    void aClientIdWithoutAnIssuerOffersNoSingleSignOn() {
        assertTrue(new LoginOptions(Optional.empty(), Optional.of("berth-console"), "openid", "sso").oidc().isEmpty());
    }
}

package io.berth.common.testing;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * The admin token that the test profile accepts (its sha256 is in the shared configuration under
 * %test). It opens nothing outside tests.
 */
public final class TestAuth {
    public static final String ADMIN_TOKEN = "berth-test-admin-token";

    private TestAuth() {
    }

    public static RequestSpecification asAdmin() {
        return RestAssured.given().auth().oauth2(ADMIN_TOKEN);
    }
}

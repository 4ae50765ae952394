package io.berth.identity;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** The identity API as the tests use it: teams, members and tokens with unique names. */
final class IdentityApi {
    private IdentityApi() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String newTeam() {
        String team = unique("team");
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", team)).post("/api/teams").then().statusCode(201);
        return team;
    }

    static void addMember(String team, String user, String role) {
        asAdmin().contentType(ContentType.JSON).body(Map.of("user", user, "role", role))
                .post("/api/teams/" + team + "/members").then().log().ifValidationFails().statusCode(201);
    }

    /** A new token of the user, made by the platform admin: {@code token}, {@code id} and the rest of the answer. */
    static JsonPath newToken(String user) {
        return newToken(user, Map.of("name", "test"));
    }

    static JsonPath newToken(String user, Map<String, Object> request) {
        return asAdmin().contentType(ContentType.JSON).body(request).post("/api/users/" + user + "/tokens")
                .then().statusCode(201).extract().jsonPath();
    }

    /** A user in a new team with that role, and a token of theirs. */
    static Member member(String role) {
        String team = newTeam();
        String user = unique("user");
        addMember(team, user, role);
        JsonPath token = newToken(user);
        return new Member(user, team, token.getString("token"), token.getString("id"));
    }

    record Member(String user, String team, String token, String tokenId) {
        RequestSpecification call() {
            return given().auth().oauth2(token);
        }

        /** Never print the token in a failed assertion. */
        @Override
        public String toString() {
            return "Member[" + user + " in " + team + "]";
        }
    }

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }
}

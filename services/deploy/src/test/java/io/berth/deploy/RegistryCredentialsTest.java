package io.berth.deploy;

import static io.berth.common.testing.Directory.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.berth.common.testing.Directory;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry credentials API as a team's members meet it: a developer stores, replaces and removes
 * them, a viewer lists them, another team does not see the team at all, bad input names its field,
 * and no answer ever holds the password.
 */
@QuarkusTest
class RegistryCredentialsTest {
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String TEAM = "rc-" + RUN;
    static final String PASSWORD = "pw-" + UUID.randomUUID();
    static String developer;
    static String viewer;
    static String other;

    @BeforeEach
    void members() throws InterruptedException {
        if (developer != null) {
            return;
        }
        developer = Directory.memberToken("rc-dev-" + RUN, Map.of(TEAM, "developer"));
        viewer = Directory.memberToken("rc-viewer-" + RUN, Map.of(TEAM, "viewer"));
        other = Directory.memberToken("rc-other-" + RUN, Map.of("rc-other-" + RUN, "developer"));
        for (String token : List.of(developer, viewer, other)) {
            Directory.awaitAccepted(token, Duration.ofSeconds(10));
        }
    }

    @AfterAll
    static void revoke() {
        List.of(developer, viewer, other).forEach(Directory::revoke);
    }

    private static String path(String server) {
        return "/api/teams/" + TEAM + "/registries/" + server;
    }

    @Test
    void aDeveloperStoresReplacesAndRemovesAndAViewerOnlyLists() {
        String body = as(developer).contentType(ContentType.JSON).body(Map.of("username", "ci", "password", PASSWORD))
                .put(path("127.0.0.1:5000")).then().statusCode(201).body("username", equalTo("ci")).extract().asString();
        assertFalse(body.contains(PASSWORD), body);
        as(developer).contentType(ContentType.JSON).body(Map.of("username", "ci2", "password", PASSWORD))
                .put(path("127.0.0.1:5000")).then().statusCode(200).body("username", equalTo("ci2"));

        String listed = as(viewer).get("/api/teams/" + TEAM + "/registries").then().statusCode(200)
                .body("", hasSize(1)).body("[0].server", equalTo("127.0.0.1:5000")).extract().asString();
        assertFalse(listed.contains(PASSWORD), listed);
        as(viewer).contentType(ContentType.JSON).body(Map.of("username", "x", "password", "y"))
                .put(path("registry.example.com")).then().statusCode(403);
        as(viewer).delete(path("127.0.0.1:5000")).then().statusCode(403);

        // another team's members are told the team does not exist, whatever they try
        as(other).get("/api/teams/" + TEAM + "/registries").then().statusCode(404);
        as(other).delete(path("127.0.0.1:5000")).then().statusCode(404);

        as(developer).delete(path("127.0.0.1:5000")).then().statusCode(204);
        as(developer).delete(path("127.0.0.1:5000")).then().statusCode(404);
        as(viewer).get("/api/teams/" + TEAM + "/registries").then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void badInputNamesTheFieldAndStoresNothing() {
        as(developer).contentType(ContentType.JSON).body(Map.of("username", "ci", "password", "x"))
                .put(path("Not A Host")).then().statusCode(400).body("errors[0].field", equalTo("server"));
        as(developer).contentType(ContentType.JSON).body(Map.of("username", "a:b", "password", "x"))
                .put(path("bad-input.example.com")).then().statusCode(400).body("errors[0].field", equalTo("username"));
        as(developer).contentType(ContentType.JSON).body(Map.of("username", "ci", "password", ""))
                .put(path("bad-input.example.com")).then().statusCode(400).body("errors[0].field", equalTo("password"));
        as(viewer).get("/api/teams/" + TEAM + "/registries").then().statusCode(200)
                .body("server", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("bad-input.example.com")));
    }
}

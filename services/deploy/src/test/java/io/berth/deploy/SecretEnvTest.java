package io.berth.deploy;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.berth.deploy.DeployApi.awaitRollout;
import static io.berth.deploy.DeployApi.newApp;
import static io.berth.deploy.DeployApi.release;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A secret env value is sealed in PostgreSQL, masked in every answer, and reaches the instance's
 * environment in the clear: the release's command refuses to start unless it sees the value.
 */
@QuarkusTest
@QuarkusTestResource(AgentProcess.class)
class SecretEnvTest {
    static final String SECRET = "p4ss-w0rd-" + Long.toHexString(System.nanoTime());

    /** A command that starts the sample only if {@code variable} holds the secret; it names only the secret's hash. */
    static List<String> requiring(String variable) {
        String sha = io.berth.common.auth.TokenHash.sha256Hex(SECRET);
        return List.of("sh", "-c", "test \"$(printf %s \"$" + variable + "\" | sha256sum | cut -c1-64)\" = " + sha
                + " || exit 3; exec java -Xmx32m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar " + DeployFlowTest.HELLO_JAR);
    }

    @Inject
    AgroalDataSource database;

    @Test
    void aSecretIsSealedAtRestMaskedInAnswersAndGivenToTheInstance() throws Exception {
        String app = newApp();
        Map<String, Object> spec = new HashMap<>(DeployFlowTest.hello(1, Map.of(), 60));
        // the instance becomes healthy only if the value arrived as it was given
        spec.put("command", requiring("DB_PASSWORD"));
        spec.put("env", List.of(Map.of("name", "DB_PASSWORD", "value", SECRET, "secret", true),
                Map.of("name", "MODE", "value", "plain")));
        assertEquals(1, release(app, spec));
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(60));

        String shown = asAdmin().get("/api/apps/" + app + "/releases/1").then().statusCode(200)
                .body(not(containsString(SECRET))).extract().asString();
        assertTrue(shown.contains("********"), shown);
        assertTrue(shown.contains("plain"), "a value not marked secret is shown: " + shown);
        asAdmin().get("/api/apps/" + app + "/releases").then().body(not(containsString(SECRET)));

        String stored;
        try (var connection = database.getConnection();
                var query = connection.prepareStatement("select spec from deploy.release where app = ? and version = 1")) {
            query.setString(1, app);
            try (var rows = query.executeQuery()) {
                assertTrue(rows.next());
                stored = rows.getString(1);
            }
        }
        assertFalse(stored.contains(SECRET), "the stored release holds the secret in the clear");
        assertTrue(stored.contains("enc:v1:test:"), stored);
    }

    @Test
    void aRollbackToAReleaseWithSecretsStillHandsThemOver() throws Exception {
        String app = newApp();
        Map<String, Object> spec = new HashMap<>(DeployFlowTest.hello(1, Map.of(), 60));
        spec.put("command", requiring("TOKEN"));
        spec.put("env", List.of(Map.of("name", "TOKEN", "value", SECRET, "secret", true)));
        assertEquals(1, release(app, spec));
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(60));
        assertEquals(2, release(app, DeployFlowTest.hello(1, Map.of(), 60)));
        awaitRollout(app, 2, "COMPLETED", Duration.ofSeconds(60));
        asAdmin().contentType("application/json").body(Map.of("release", 1)).post("/api/apps/" + app + "/rollback")
                .then().statusCode(202);
        awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(60));
    }
}

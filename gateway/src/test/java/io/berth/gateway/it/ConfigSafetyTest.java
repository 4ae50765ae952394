package io.berth.gateway.it;

import static io.berth.common.testing.TestAuth.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.gateway.haproxy.ConfigRejectedException;
import io.berth.gateway.haproxy.HaproxyReloader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A configuration HAProxy refuses is never installed, and HAProxy keeps serving with the old one. */
@QuarkusTest
@QuarkusTestResource(HaproxyTestResource.class)
class ConfigSafetyTest {
    @Inject
    HaproxyReloader reloader;

    @ConfigProperty(name = "berth.haproxy.config")
    Path config;

    @Test
    void aRefusedConfigurationLeavesHaproxyAsItWas() throws Exception {
        String before = Files.readString(config);
        String worker = asAdmin().get("/api/gateway/haproxy").then().statusCode(200).extract().path("Pid");
        ConfigRejectedException refused = assertThrows(ConfigRejectedException.class,
                () -> reloader.install(before + "\nbackend broken\n    balance no-such-algorithm\n"));
        assertTrue(refused.getMessage().contains("haproxy -c"), refused.getMessage());
        assertEquals(before, Files.readString(config), "the file on disk is still the running configuration");
        assertEquals(worker, asAdmin().get("/api/gateway/haproxy").then().statusCode(200).extract().path("Pid"),
                "HAProxy was not reloaded");
    }
}

package io.berth.cli.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProblemMessageTest {
    @Test
    void aProblemReadsTitleDetailAndField() {
        assertEquals("Invalid request: replicas: must be greater than or equal to 0 (field replicas)", ProblemMessage.of(400,
                "{\"type\":\"urn:berth:problem:invalid-request\",\"title\":\"Invalid request\",\"status\":400,"
                        + "\"detail\":\"replicas: must be greater than or equal to 0\","
                        + "\"errors\":[{\"field\":\"replicas\",\"message\":\"must be greater than or equal to 0\"}]}"));
    }

    @Test
    void severalFieldsAreAllNamedOnce() {
        assertEquals("Invalid request: a; b (fields env[0].name, health.path)", ProblemMessage.of(400,
                "{\"title\":\"Invalid request\",\"detail\":\"a; b\",\"errors\":[{\"field\":\"env[0].name\"},"
                        + "{\"field\":\"health.path\"},{\"field\":\"env[0].name\"}]}"));
    }

    @Test
    void notFoundIsPlain() {
        assertEquals("Not Found: app 'web' does not exist",
                ProblemMessage.of(404, "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"app 'web' does not exist\"}"));
        assertEquals("Conflict", ProblemMessage.of(409, "{\"title\":\"Conflict\",\"detail\":\"Conflict\"}"));
    }

    @Test
    void unauthorizedSaysHowToFixIt() {
        assertEquals("Unauthorized: a valid bearer token is required; log in again with `berth login` or set BERTH_TOKEN",
                ProblemMessage.of(401, "{\"title\":\"Unauthorized\",\"detail\":\"a valid bearer token is required\"}"));
    }

    @Test
    void anythingElseIsTheStatusAndTheStartOfTheBody() {
        assertEquals("HTTP 502", ProblemMessage.of(502, ""));
        assertEquals("HTTP 503: Service Unavailable", ProblemMessage.of(503, "Service\n  Unavailable\n"));
        assertEquals("HTTP 500: [1,2]", ProblemMessage.of(500, "[1,2]"));
        String long1 = "x".repeat(500);
        assertEquals("HTTP 500: " + "x".repeat(200) + "...", ProblemMessage.of(500, long1));
    }
}

package io.berth.samples.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HelloAppTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private HelloApp app;

    @AfterEach
    void stop() {
        app.stop();
    }

    private HttpResponse<String> call(String method, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersWithItsIdentityAndCanBeToldToFailItsHealthCheck() throws Exception {
        app = new HelloApp(Map.of("BERTH_APP", "shop", "BERTH_RELEASE", "2", "BERTH_INSTANCE", "shop-2-a"));
        String base = "http://127.0.0.1:" + app.start(0);
        var hello = call("GET", base + "/");
        assertEquals(200, hello.statusCode());
        assertEquals("hello from app=shop release=2 instance=shop-2-a\n", hello.body());
        assertEquals("2", hello.headers().firstValue("X-Berth-Release").orElseThrow());

        assertEquals(200, call("GET", base + "/health").statusCode());
        call("POST", base + "/admin/health/fail");
        assertEquals(503, call("GET", base + "/health").statusCode());
        call("POST", base + "/admin/health/pass");
        assertEquals(200, call("GET", base + "/health").statusCode());
        assertTrue(call("GET", base + "/cpu?ms=20").body().startsWith("burned 20 ms"));
        assertEquals(404, call("GET", base + "/nope").statusCode());
    }

    @Test
    void canStartUnhealthy() throws Exception {
        app = new HelloApp(Map.of("SAMPLE_FAIL_HEALTH", "true"));
        String base = "http://127.0.0.1:" + app.start(0);
        assertEquals(503, call("GET", base + "/health").statusCode());
    }

    @Test
    void canBeToldToHang() throws Exception {
        app = new HelloApp(Map.of());
        String base = "http://127.0.0.1:" + app.start(0);
        assertEquals(200, call("POST", base + "/admin/hang").statusCode());
        var health = HttpRequest.newBuilder(URI.create(base + "/health")).timeout(java.time.Duration.ofMillis(500)).build();
        org.junit.jupiter.api.Assertions.assertThrows(java.net.http.HttpTimeoutException.class,
                () -> http.send(health, HttpResponse.BodyHandlers.ofString()), "a hung app answers nothing, not even its health check");
    }
}

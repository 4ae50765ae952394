package io.berth.console.proxy;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(TargetServices.class)
class ApiProxyTest {

    @TestHTTPResource("/")
    URI console;

    @Test
    void forwardsTheCallAsItCameWithTheCallersAddress() {
        asAdmin().get("/api/apps/web?page=0&size=5").then().statusCode(200)
                .header("X-Target", "deploy")
                .body("service", equalTo("deploy"))
                .body("method", equalTo("GET"))
                .body("uri", equalTo("/api/apps/web?page=0&size=5"))
                .body("authorization", equalTo("Bearer " + TestAuth.ADMIN_TOKEN))
                .body("forwardedFor", equalTo("127.0.0.1"));
        asAdmin().header("X-Forwarded-For", "203.0.113.7").get("/api/apps/web").then().statusCode(200)
                .body("forwardedFor", equalTo("203.0.113.7, 127.0.0.1"));
    }

    @Test
    void forwardsTheBodyAndTheStatus() {
        asAdmin().contentType("application/json").body("{\"name\":\"web\",\"team\":\"t\"}").post("/api/apps")
                .then().statusCode(201)
                .body("method", equalTo("POST"))
                .body("contentType", equalTo("application/json"))
                .body("body", equalTo("{\"name\":\"web\",\"team\":\"t\"}"));
    }

    @Test
    void aBodyAnnouncedWithExpectContinueGoesThrough() throws Exception {
        // curl sends Expect: 100-continue before a body of more than 1 KiB
        String body = "{\"env\":\"" + "x".repeat(4096) + "\"}";
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .sendAsync(HttpRequest.newBuilder(console.resolve("/api/apps/web/releases"))
                        .header("Authorization", "Bearer " + TestAuth.ADMIN_TOKEN)
                        .header("Content-Type", "application/json")
                        .expectContinue(true)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString())
                .get(10, TimeUnit.SECONDS);
        assertEquals(201, response.statusCode(), response.body());
        assertTrue(response.body().contains("x".repeat(4096)));
    }

    @Test
    void theMostSpecificRouteWins() {
        asAdmin().get("/api/apps/web/autoscaling").then().statusCode(200).body("service", equalTo("autoscaler"));
        asAdmin().get("/api/apps/web/autoscaling/decisions").then().statusCode(200).body("service", equalTo("autoscaler"));
        asAdmin().get("/api/apps/web/autoscalingx").then().statusCode(200).body("service", equalTo("deploy"));
        asAdmin().get("/api/apps/web/releases").then().statusCode(200).body("service", equalTo("deploy"));
    }

    @Test
    void aServicesProblemReachesTheCallerAsItWas() {
        asAdmin().get("/api/apps/missing").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", equalTo("app 'missing' does not exist"));
    }

    @Test
    void aPathNoServiceOwnsIsANotFoundProblem() {
        asAdmin().get("/api/nothing/here").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404))
                .body("detail", containsString("/api/nothing/here"));
        asAdmin().get("/api/").then().statusCode(404).contentType("application/problem+json");
        // the console's own part too: RESTEasy has no such resource, and common's mappers answer
        asAdmin().get("/api/console/nothing").then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", equalTo(404));
    }

    @Test
    void anUnreachableServiceIsABadGatewayProblem() {
        // identity is on the test profile's closed port
        asAdmin().get("/api/teams").then().statusCode(502)
                .contentType("application/problem+json")
                .body("status", equalTo(502))
                .body("title", equalTo("Bad Gateway"))
                .body("detail", containsString("identity"));
    }

    @Test
    void nothingLeavesTheConsoleWithoutAValidToken() {
        given().get("/api/apps").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("not-a-token").get("/api/apps/web").then().statusCode(401);
    }

    @Test
    void theConsolesOwnApiIsNotForwarded() {
        asAdmin().get("/api/console/overview").then().statusCode(200).body("apps", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void rolloutEventsArriveOneByOne() throws Exception {
        assertStreamsEventByEvent("/api/apps/web/rollouts/current/events");
    }

    @Test
    void aLogTailArrivesLineByLine() throws Exception {
        assertStreamsEventByEvent("/api/logs/web/tail");
    }

    @Test
    void aCallerThatHangsUpEndsTheStreamAtTheService() throws Exception {
        // else the log-indexer would follow Kafka for a tail nobody reads any more
        HttpResponse<Stream<String>> response = openStream("/api/logs/web/tail");
        TargetService.streamClosed = new CountDownLatch(1);
        BlockingQueue<String> lines = read(response);
        awaitLine(lines, "data: {\"n\":1}", Duration.ofSeconds(10));
        TargetService.secondEvent.countDown();
        awaitLine(lines, "data: {\"n\":2}", Duration.ofSeconds(10));
        response.body().close();
        assertTrue(TargetService.streamClosed.await(10, TimeUnit.SECONDS),
                "the service's stream still open 10 s after the caller hung up");
    }

    /**
     * The target sends its second event only after this test has read the first through the proxy: a
     * proxy that buffered the stream would leave the first unseen and the test would time out.
     */
    private void assertStreamsEventByEvent(String path) throws Exception {
        HttpResponse<Stream<String>> response = openStream(path);
        BlockingQueue<String> lines = read(response);
        awaitLine(lines, "data: {\"n\":1}", Duration.ofSeconds(10));
        TargetService.secondEvent.countDown();
        awaitLine(lines, "data: {\"n\":2}", Duration.ofSeconds(10));
        response.body().close();
    }

    private HttpResponse<Stream<String>> openStream(String path) throws Exception {
        TargetService.secondEvent = new CountDownLatch(1);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<Stream<String>> response = http.sendAsync(HttpRequest.newBuilder(console.resolve(path))
                        .header("Authorization", "Bearer " + TestAuth.ADMIN_TOKEN)
                        .header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofLines()).get(10, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        return response;
    }

    private static BlockingQueue<String> read(HttpResponse<Stream<String>> response) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(lines::add);
            } catch (RuntimeException closed) {
                // the test closed the stream
            }
        });
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static void awaitLine(BlockingQueue<String> lines, String expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (expected.equals(line)) {
                return;
            }
        }
        throw new AssertionError("'" + expected + "' did not come through the proxy within " + timeout);
    }
}

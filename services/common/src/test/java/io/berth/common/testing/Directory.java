package io.berth.common.testing;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.berth.common.auth.TokenHash;
import io.berth.events.EventCodec;
import io.berth.events.Topics;
import io.berth.events.directory.AppOwner;
import io.berth.events.directory.TokenEntry;
import io.restassured.specification.RequestSpecification;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Writes the compacted directory topics as the identity service (berth.identity) and the deploy
 * service (berth.app-owners) do, so that a service's tests can make team members with tokens and
 * give apps to teams on the real broker. Tokens are random, so a test's entries never meet another
 * run's; {@link #revoke} and {@link #disown} leave tombstones behind.
 */
public final class Directory {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static KafkaProducer<String, byte[]> producer;

    private Directory() {
    }

    /** A new token of {@code user} with these roles per team, expiring at {@code expiresAt} (null: never); returns the token. */
    public static String memberToken(String user, Map<String, String> teams, Instant expiresAt) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = "berth_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        TokenEntry entry = new TokenEntry("tok-" + UUID.randomUUID(), user, false, teams, expiresAt);
        send(Topics.IDENTITY, TokenHash.sha256Hex(token), json(entry));
        return token;
    }

    public static String memberToken(String user, Map<String, String> teams) {
        return memberToken(user, teams, null);
    }

    /** The identity service's revocation: a tombstone under the token's hash. */
    public static void revoke(String token) {
        send(Topics.IDENTITY, TokenHash.sha256Hex(token), null);
    }

    public static void own(String app, String team) {
        send(Topics.APP_OWNERS, app, json(new AppOwner(app, team)));
    }

    public static void disown(String app) {
        send(Topics.APP_OWNERS, app, null);
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    /** Waits until the service under test accepts the token (its directory has read it). */
    public static void awaitAccepted(String token, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (as(token).get("/q/openapi").statusCode() == 401) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the service did not accept a new member token within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until {@code path} answers {@code status} to the token; returns how long that took. */
    public static Duration awaitStatus(String token, String path, int status, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (as(token).get(path).statusCode() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " did not answer " + status + " within " + timeout);
            }
            // waiting for a 401 (a revocation), fast: it is the measure, and a refused token costs its
            // bucket nothing. Otherwise 4 a second: under a member token's sustained rate limit (20 a
            // second; 5 in common's own tests), or its bucket drains and its next calls get 429.
            Thread.sleep(status == 401 ? 10 : 250);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Waits for a record under {@code key} on a directory topic, published in the last ten minutes
     * or later, whose value (null for a tombstone) matches; false after {@code timeout}.
     */
    public static boolean awaitRecord(String topic, String key, java.util.function.Predicate<String> value,
            Duration timeout) {
        return awaitRecord(topic, key, value, Instant.now().minus(Duration.ofMinutes(10)), timeout);
    }

    /** As above, for a record published at {@code since} or later. */
    public static boolean awaitRecord(String topic, String key, java.util.function.Predicate<String> value,
            Instant since, Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            KafkaEvents.assignFrom(consumer, topic, since, deadline);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key()) && value.test(record.value())) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static byte[] json(Object value) {
        try {
            return EventCodec.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized void send(String topic, String key, byte[] value) {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish to " + topic, e.getCause());
        }
    }
}

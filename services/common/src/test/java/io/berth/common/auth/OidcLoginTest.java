package io.berth.common.auth;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import com.sun.net.httpserver.HttpServer;
import io.berth.common.testing.Directory;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Logins through an external OIDC provider: a stand-in provider here is a key pair whose public half
 * is served as a JWKS over HTTP, as a real provider publishes it; the tokens are JWTs it signs.
 */
@QuarkusTest
@TestProfile(OidcLoginTest.WithProvider.class)
class OidcLoginTest {
    static final String ISSUER = "https://login.example.test/realms/berth";
    static final KeyPair PROVIDER;
    static final KeyPair STRANGER;
    static final String JWKS_URL;
    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String TEAM = "oidc-" + RUN;
    static final String APP = "oidc-app-" + RUN;
    static final String OTHER_APP = "oidc-other-" + RUN;

    // Quarkus loads this class twice (the test's class loader and the profile's): the provider's keys
    // and its JWKS server are made once per JVM and shared through system properties
    static {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            if (System.getProperty("berth.test.oidc.private") == null) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                for (String name : List.of("berth.test.oidc", "berth.test.stranger")) {
                    KeyPair pair = generator.generateKeyPair();
                    System.setProperty(name + ".private", Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
                    System.setProperty(name + ".public", Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
                }
            }
            PROVIDER = pair(rsa, "berth.test.oidc");
            STRANGER = pair(rsa, "berth.test.stranger");
            if (System.getProperty("berth.test.oidc.jwks") == null) {
                RsaJsonWebKey jwk = new RsaJsonWebKey((java.security.interfaces.RSAPublicKey) PROVIDER.getPublic());
                jwk.setKeyId("k1");
                byte[] jwks = new JsonWebKeySet(jwk).toJson().getBytes(StandardCharsets.UTF_8);
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                server.createContext("/certs", exchange -> {
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, jwks.length);
                    exchange.getResponseBody().write(jwks);
                    exchange.close();
                });
                server.start();
                System.setProperty("berth.test.oidc.jwks", "http://127.0.0.1:" + server.getAddress().getPort() + "/certs");
            }
            JWKS_URL = System.getProperty("berth.test.oidc.jwks");
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static KeyPair pair(KeyFactory rsa, String name) throws Exception {
        return new KeyPair(
                rsa.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(System.getProperty(name + ".public")))),
                rsa.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(System.getProperty(name + ".private")))));
    }

    public static class WithProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("berth.auth.oidc.issuer", ISSUER, "berth.auth.oidc.jwks-url", JWKS_URL);
        }
    }

    static String jwt(KeyPair signer, String issuer, String user, List<String> groups, int minutes) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(UUID.randomUUID().toString());
        claims.setClaim("preferred_username", user);
        claims.setStringListClaim("groups", groups);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(minutes);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signer.getPrivate());
        jws.setKeyIdHeaderValue("k1");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        return jws.getCompactSerialization();
    }

    static io.restassured.specification.RequestSpecification as(String token) {
        return RestAssured.given().auth().oauth2(token);
    }

    /** The apps' owners reach the service's directory; a member of each team then sees its app. */
    @BeforeEach
    void apps() throws Exception {
        Directory.own(APP, TEAM);
        Directory.own(OTHER_APP, "not-" + TEAM);
        Directory.awaitStatus(jwt(PROVIDER, ISSUER, "probe", List.of("berth:" + TEAM + ":viewer"), 5), "/api/apps/" + APP, 200,
                Duration.ofSeconds(10));
        Directory.awaitStatus(jwt(PROVIDER, ISSUER, "probe", List.of("berth:not-" + TEAM + ":viewer"), 5),
                "/api/apps/" + OTHER_APP, 200, Duration.ofSeconds(10));
    }

    @Test
    void aProviderTokenIsAMemberOfTheTeamsItsGroupsName() throws Exception {
        String developer = jwt(PROVIDER, ISSUER, "ada", List.of("berth:" + TEAM + ":developer", "unrelated"), 5);
        as(developer).get("/api/apps").then().statusCode(200).body("", hasItem(APP)).body("", not(hasItem(OTHER_APP)));
        as(developer).get("/api/apps/" + APP).then().statusCode(200);
        as(developer).get("/api/apps/" + OTHER_APP).then().statusCode(404);

        String viewer = jwt(PROVIDER, ISSUER, "vic", List.of("berth:" + TEAM + ":viewer"), 5);
        as(viewer).get("/api/apps/" + APP).then().statusCode(200);
        as(viewer).contentType("application/json").body("{}").post("/api/apps/" + APP + "/actions").then().statusCode(403);

        String admin = jwt(PROVIDER, ISSUER, "root", List.of("berth-admins"), 5);
        as(admin).get("/api/apps/" + OTHER_APP).then().statusCode(200);
    }

    @Test
    void aTokenNotSignedByTheProviderExpiredOrForAnotherIssuerIsRefused() throws Exception {
        List<String> groups = List.of("berth:" + TEAM + ":developer");
        as(jwt(STRANGER, ISSUER, "eve", groups, 5)).get("/api/apps/" + APP).then().statusCode(401);
        as(jwt(PROVIDER, ISSUER, "eve", groups, -5)).get("/api/apps/" + APP).then().statusCode(401);
        as(jwt(PROVIDER, "https://elsewhere.test", "eve", groups, 5)).get("/api/apps/" + APP).then().statusCode(401);
        String good = jwt(PROVIDER, ISSUER, "eve", groups, 5);
        String[] parts = good.split("\\.");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace("developer", "admin").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        as(tampered).get("/api/apps/" + APP).then().statusCode(401);
    }
}

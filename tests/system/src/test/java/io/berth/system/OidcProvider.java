package io.berth.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenID Connect provider for the login tests: panva's node-oidc-provider (a certified
 * implementation, from the npm registry, pinned in src/test/oidc-provider/package-lock.json) with
 * its development login pages, run by Node.js on loopback. Its users are the keys of
 * {@code groups}; any password logs them in, and their ID token carries their groups
 * ({@code berth:<team>:<role>}), which is how Berth's services map them to teams (decision 6).
 */
public final class OidcProvider implements AutoCloseable {
    /** The console's client at the provider: public, authorization code with PKCE. */
    public static final String CLIENT_ID = "berth-console";
    private static final Path SOURCE = SystemPlatform.ROOT.resolve("tests/system/src/test/oidc-provider");

    private final Process process;
    private final int port;

    private OidcProvider(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Installs the provider's packages once (npm ci into target/), then starts it and waits for its discovery document. */
    public static OidcProvider start(int port, List<String> redirectUris, Map<String, List<String>> groups, Path log)
            throws IOException, InterruptedException {
        Path home = SystemPlatform.TARGET.resolve("oidc-provider");
        Files.createDirectories(home);
        for (String file : List.of("package.json", "package-lock.json", "provider.mjs")) {
            Files.copy(SOURCE.resolve(file), home.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(home.resolve("node_modules/oidc-provider"))) {
            Process install = new ProcessBuilder(npm(), "ci", "--no-audit", "--no-fund", "--loglevel=error")
                    .directory(home.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!install.waitFor(180, TimeUnit.SECONDS) || install.exitValue() != 0) {
                install.destroyForcibly();
                throw new IllegalStateException("npm ci of the test OIDC provider failed: see " + log);
            }
        }
        ProcessBuilder builder = new ProcessBuilder("node", "provider.mjs").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("OIDC_PORT", Integer.toString(port));
        builder.environment().put("OIDC_REDIRECT_URIS", String.join(",", redirectUris));
        builder.environment().put("OIDC_GROUPS", new ObjectMapper().writeValueAsString(groups));
        OidcProvider provider = new OidcProvider(builder.start(), port);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpRequest discovery = HttpRequest.newBuilder(URI.create(provider.issuer() + "/.well-known/openid-configuration")).build();
                if (http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return provider;
                }
            } catch (IOException starting) {
                // not listening yet
            }
            if (!provider.process.isAlive()) {
                throw new IllegalStateException("the test OIDC provider exited while starting: see " + log);
            }
            Thread.sleep(100);
        }
        provider.close();
        throw new IllegalStateException("the test OIDC provider did not answer within 30 s: see " + log);
    }

    /** bin/berth-dev test names bin/lib/npm, which works where the machine's npm is broken. */
    private static String npm() {
        String npm = System.getenv("BERTH_NPM");
        return npm == null || npm.isBlank() ? "npm" : npm;
    }

    public String issuer() {
        return "http://127.0.0.1:" + port;
    }

    public String jwksUrl() {
        return issuer() + "/jwks";
    }

    /** What every Berth service needs to accept this provider's ID tokens (berth.auth.oidc.*). */
    public Map<String, String> serviceEnvironment() {
        return Map.of("BERTH_AUTH_OIDC_ISSUER", issuer(),
                "BERTH_AUTH_OIDC_JWKS_URL", jwksUrl(),
                "BERTH_AUTH_OIDC_AUDIENCE", CLIENT_ID);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}

package io.berth.console.login;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.console.ConsoleConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code GET /login-options.json}: how the web app's login page may sign a person in. Always with an
 * API token; also through the OIDC provider the services trust ({@code berth.auth.oidc.issuer}) when
 * the console has a client there ({@code berth.console.oidc.client-id}): the page then runs the
 * authorization code flow with PKCE itself, as a public client, and uses the ID token as its bearer
 * token, which every service verifies (decision 6). Public like the page's own files, because the
 * login page needs it before anyone has a token; it holds no data, only where the provider is. The
 * provider's endpoints come from its discovery document, read here so that the browser does not
 * depend on the provider allowing cross-origin reads of it.
 */
@ApplicationScoped
public class LoginOptions {
    private static final Logger LOG = Logger.getLogger(LoginOptions.class);
    static final String PATH = "/login-options.json";

    private final Optional<String> issuer;
    private final Optional<String> clientId;
    private final String scopes;
    private final String providerName;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private volatile JsonNode discovery;

    @Inject
    LoginOptions(@ConfigProperty(name = "berth.auth.oidc.issuer") Optional<String> issuer, ConsoleConfig config) {
        this(issuer, config.oidc().clientId(), config.oidc().scopes(), config.oidc().providerName());
    }

    LoginOptions(Optional<String> issuer, Optional<String> clientId, String scopes, String providerName) {
        this.issuer = issuer.filter(i -> !i.isBlank()).map(i -> i.endsWith("/") ? i.substring(0, i.length() - 1) : i);
        this.clientId = clientId.filter(c -> !c.isBlank());
        this.scopes = scopes;
        this.providerName = providerName;
    }

    void install(@Observes Router router) {
        router.get(PATH).order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).blockingHandler(this::answer);
    }

    private void answer(RoutingContext context) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("token", true);
        options.put("oidc", oidc().orElse(null));
        try {
            context.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                    .end(json.writeValueAsString(options));
        } catch (IOException e) {
            context.fail(e);
        }
    }

    /** The provider's part, or empty when single sign-on is not configured or its discovery cannot be read now. */
    Optional<Map<String, Object>> oidc() {
        if (issuer.isEmpty() || clientId.isEmpty()) {
            return Optional.empty();
        }
        JsonNode provider = discovery();
        if (provider == null) {
            return Optional.empty();
        }
        Map<String, Object> oidc = new LinkedHashMap<>();
        oidc.put("name", providerName);
        oidc.put("issuer", issuer.get());
        oidc.put("clientId", clientId.get());
        oidc.put("scopes", scopes);
        oidc.put("authorizationEndpoint", provider.path("authorization_endpoint").asText());
        oidc.put("tokenEndpoint", provider.path("token_endpoint").asText());
        return Optional.of(oidc);
    }

    private JsonNode discovery() {
        JsonNode known = discovery;
        if (known != null) {
            return known;
        }
        URI uri = URI.create(issuer.get() + "/.well-known/openid-configuration");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                LOG.warnf("OIDC discovery %s answered %d: the login page offers tokens only", uri, response.statusCode());
                return null;
            }
            JsonNode document = json.readTree(response.body());
            if (!document.hasNonNull("authorization_endpoint") || !document.hasNonNull("token_endpoint")) {
                LOG.warnf("OIDC discovery %s names no authorization or token endpoint: the login page offers tokens only", uri);
                return null;
            }
            discovery = document;
            return document;
        } catch (IOException e) {
            LOG.warnf("OIDC discovery %s cannot be read (%s): the login page offers tokens only", uri, e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

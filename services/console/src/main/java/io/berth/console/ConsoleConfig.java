package io.berth.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ConfigMapping(prefix = "berth.console")
public interface ConsoleConfig {
    /** Service name to base URL: where the proxy forwards and whose readiness the platform page shows. */
    Map<String, URI> services();

    /**
     * Service name to the path prefixes it owns under {@code /api} (decision 8). A {@code *} stands
     * for one path segment ({@code /api/apps/*}{@code /autoscaling}); the longest prefix wins.
     */
    Map<String, List<String>> routes();

    @WithName("health-timeout")
    Duration healthTimeout();

    Proxy proxy();

    ReadModel readModel();

    Oidc oidc();

    interface Proxy {
        /** How long a connection to a service may take before the caller gets a 502. */
        @WithName("connect-timeout")
        @WithDefault("2s")
        Duration connectTimeout();

        /**
         * Open connections per service. Each live stream (rollout events, log tail) holds one for as
         * long as it lasts, so this is also how many streams a service can have through the console.
         */
        @WithName("max-connections-per-service")
        @WithDefault("256")
        int maxConnectionsPerService();
    }

    /** Single sign-on on the login page, through the provider the services trust ({@code berth.auth.oidc.issuer}). */
    interface Oidc {
        /** The console's client id at the provider; unset, the page offers API tokens only. */
        @WithName("client-id")
        Optional<String> clientId();

        /** The scopes the page asks for; they must bring the user and groups claims into the ID token. */
        @WithDefault("openid profile")
        String scopes();

        /** The button's words: "Sign in with ..." */
        @WithName("provider-name")
        @WithDefault("single sign-on")
        String providerName();
    }

    interface ReadModel {
        /** Off: no Kafka consumer starts (the overview and the charts stay empty). */
        @WithDefault("true")
        boolean enabled();
    }
}

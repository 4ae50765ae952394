package io.berth.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The gateway controller's own settings ({@code berth.gateway.*}, each also a BERTH_GATEWAY_* variable). */
@ConfigMapping(prefix = "berth.gateway")
public interface GatewaySettings {

    /** Apps are served at {@code <app>.<domain>} (Host header, any port). */
    @WithDefault("apps.localhost")
    String domain();

    /** Where HAProxy's frontend listens. */
    @WithDefault("127.0.0.1:8000")
    String bind();

    /** Where HAProxy's stats page (and /metrics, if built in) listens. */
    @WithDefault("127.0.0.1:8404")
    String statsBind();

    /** Which registry the periodic reconcile reads back: {@code registrar} (its query API) or {@code dns} (SRV records). */
    @WithDefault("registrar")
    String registry();

    /** How often the registry is read back and HAProxy compared with it (level-triggered). */
    @WithDefault("5s")
    Duration reconcileInterval();

    /** How often one BackendStats per app goes to berth.metrics. */
    @WithDefault("5s")
    Duration statsInterval();

    /** The longest a deregistered server drains before it is cut off and removed. */
    @WithDefault("30s")
    Duration drainTimeout();

    /** The health path for apps whose registry entry names none; unset means a TCP connect check. */
    Optional<String> defaultHealthPath();

    /** The longest a reload may take before it counts as failed. */
    @WithDefault("10s")
    Duration reloadTimeout();

    /** The haproxy binary that validates a rendered configuration ({@code haproxy -c}). */
    @WithDefault("haproxy")
    String haproxyBinary();

    HealthCheck healthCheck();

    interface HealthCheck {
        /** Time between two checks of one server. */
        @WithDefault("1s")
        Duration interval();

        /** Failed checks in a row that take a server out. */
        @WithDefault("2")
        int fall();

        /** Passed checks in a row that bring it back. */
        @WithDefault("2")
        int rise();
    }
}

package io.berth.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

@ConfigMapping(prefix = "berth.console")
public interface ConsoleConfig {
    /** Service name to base URL. */
    Map<String, URI> services();

    @WithName("health-timeout")
    Duration healthTimeout();
}

package io.berth.gateway.render;

import io.berth.gateway.GatewaySettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The render settings, from configuration plus one look at what the installed HAProxy can do. */
@ApplicationScoped
public class RenderSettingsProducer {
    private static final Logger LOG = Logger.getLogger(RenderSettingsProducer.class);

    @Produces
    @Singleton
    RenderSettings renderSettings(GatewaySettings s, @ConfigProperty(name = "berth.haproxy.admin-socket") Path adminSocket,
            @ConfigProperty(name = "berth.haproxy.config") Path config) {
        return new RenderSettings(s.domain(), s.bind(), s.statsBind(), adminSocket.toAbsolutePath(),
                config.toAbsolutePath().resolveSibling("pid"), s.healthCheck().interval(), s.healthCheck().fall(),
                s.healthCheck().rise(), hasPrometheusExporter(s.haproxyBinary()));
    }

    /** Debian's HAProxy is built with the Prometheus exporter; a build without it must not get the line. */
    private static boolean hasPrometheusExporter(String binary) {
        try {
            Process p = new ProcessBuilder(binary, "-vv").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out.contains("prometheus-exporter");
        } catch (Exception e) {
            LOG.warnf("could not run %s -vv: %s", binary, e.getMessage());
            return false;
        }
    }
}

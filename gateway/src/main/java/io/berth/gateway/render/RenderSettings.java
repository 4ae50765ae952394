package io.berth.gateway.render;

import java.nio.file.Path;
import java.time.Duration;

/** Everything besides the apps that the rendered configuration depends on. */
public record RenderSettings(String domain, String bind, String statsBind, Path adminSocket, Path pidFile,
        Duration checkInterval, int checkFall, int checkRise, boolean prometheusExporter) {
}

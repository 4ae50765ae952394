package io.berth.gateway.haproxy;

import io.berth.gateway.GatewaySettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code haproxy -c}: a rendered configuration is checked by HAProxy itself before it is installed. */
@ApplicationScoped
public class ConfigValidator {
    private final String binary;

    ConfigValidator(GatewaySettings settings) {
        this.binary = settings.haproxyBinary();
    }

    /** @return empty if HAProxy accepts the file, else what HAProxy said is wrong */
    public Optional<String> problems(Path config) throws IOException {
        Process check = new ProcessBuilder(binary, "-c", "-f", config.toString())
                .redirectErrorStream(true).start();
        try {
            // HAProxy's ALERT lines say which line of the file is wrong and why (read to EOF, then wait)
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> line.contains("ALERT") || line.contains("error")).reduce((a, b) -> a + "\n" + b)
                    .orElse("").trim();
            if (!check.waitFor(30, TimeUnit.SECONDS)) {
                check.destroyForcibly();
                return Optional.of("haproxy -c did not finish within 30s");
            }
            return check.exitValue() == 0 ? Optional.empty()
                    : Optional.of(output.isEmpty() ? "haproxy -c exited " + check.exitValue() : output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while haproxy -c ran", e);
        }
    }
}

package io.berth.gateway.haproxy;

import io.berth.gateway.GatewaySettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Installs a rendered configuration: unchanged text is left alone; new text is checked by
 * {@code haproxy -c} first, written atomically in place of the old file and loaded by a hitless
 * reload through the master socket. A configuration HAProxy refuses is never installed, and one
 * that fails to load is rolled back on disk: the running HAProxy is never left broken.
 */
@ApplicationScoped
public class HaproxyReloader {
    private static final Logger LOG = Logger.getLogger(HaproxyReloader.class);

    public enum Outcome { UNCHANGED, RELOADED }

    private final Path config;
    private final Duration reloadTimeout;
    private final ConfigValidator validator;
    private final HaproxyMasterCli master;
    private final HaproxyRuntimeApi runtime;
    private volatile long reloads;

    HaproxyReloader(@ConfigProperty(name = "berth.haproxy.config") Path config, GatewaySettings settings,
            ConfigValidator validator, HaproxyMasterCli master, HaproxyRuntimeApi runtime) {
        this.config = config;
        this.reloadTimeout = settings.reloadTimeout();
        this.validator = validator;
        this.master = master;
        this.runtime = runtime;
    }

    public Outcome install(String text) throws IOException {
        if (Files.exists(config) && Files.readString(config, StandardCharsets.UTF_8).equals(text)) {
            return Outcome.UNCHANGED;
        }
        Path next = config.resolveSibling(config.getFileName() + ".next");
        Path previous = config.resolveSibling(config.getFileName() + ".prev");
        Files.writeString(next, text, StandardCharsets.UTF_8);
        Optional<String> problems = validator.problems(next);
        if (problems.isPresent()) {
            Path rejected = config.resolveSibling(config.getFileName() + ".rejected");
            Files.move(next, rejected, StandardCopyOption.REPLACE_EXISTING);
            LOG.errorf("HAProxy refused the rendered configuration (kept as %s); HAProxy keeps running the old one: %s",
                    rejected, problems.get());
            throw new ConfigRejectedException("haproxy -c refused the rendered configuration: " + problems.get());
        }
        if (Files.exists(config)) {
            Files.copy(config, previous, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(next, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try {
            reload();
        } catch (IOException e) {
            if (Files.exists(previous)) {
                Files.copy(previous, config, StandardCopyOption.REPLACE_EXISTING);
            }
            throw e;
        }
        reloads++;
        return Outcome.RELOADED;
    }

    /** Reloads completed by this controller since it started. */
    public long reloads() {
        return reloads;
    }

    /** Asks the master to reload and waits until a new worker answers on the admin socket. */
    private void reload() throws IOException {
        String workerBefore = runtime.info().get("Pid");
        int failedBefore = HaproxyMasterCli.failedReloads(master.showProc());
        long started = System.nanoTime();
        master.reload();
        long deadline = started + reloadTimeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String worker = runtime.info().get("Pid");
                if (!Objects.equals(worker, workerBefore)) {
                    LOG.infof("HAProxy reloaded in %d ms (worker %s -> %s)", (System.nanoTime() - started) / 1_000_000,
                            workerBefore, worker);
                    return;
                }
            } catch (IOException e) {
                // the admin socket changes hands during the reload
            }
            if (failedSince(failedBefore)) {
                throw new ConfigRejectedException("HAProxy could not load the new configuration; the old worker serves on");
            }
            sleep(20);
        }
        throw new IOException("HAProxy reload did not finish within " + reloadTimeout);
    }

    private boolean failedSince(int failedBefore) {
        try {
            return HaproxyMasterCli.failedReloads(master.showProc()) > failedBefore;
        } catch (IOException e) {
            return false; // the master is re-executing itself
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during reload", e);
        }
    }
}

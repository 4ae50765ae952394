package io.berth.gateway.haproxy;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * HAProxy's master CLI ({@code haproxy -W -S <socket>}): the one place that reloads. A reload makes
 * the master re-execute itself with the same arguments, i.e. re-read the configuration file; the new
 * worker takes over the listening sockets and the old one finishes its connections (hitless).
 */
@ApplicationScoped
public class HaproxyMasterCli {
    private static final Pattern FAILED_RELOADS = Pattern.compile("failed:\\s*(\\d+)");

    private final Path masterSocket;

    public HaproxyMasterCli(@ConfigProperty(name = "berth.haproxy.master-socket") Path masterSocket) {
        this.masterSocket = masterSocket;
    }

    /** Asks the master to reload; HAProxy closes the connection without an answer. */
    public void reload() throws IOException {
        send("reload");
    }

    /** {@code show proc}: the master, its reload count and failed reloads, the workers. */
    public String showProc() throws IOException {
        return send("show proc");
    }

    /** How many reloads the master counts as failed (the new configuration did not load). */
    public static int failedReloads(String showProc) {
        Matcher m = FAILED_RELOADS.matcher(showProc);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private String send(String command) throws IOException {
        try {
            return HaproxySocket.roundTrip(masterSocket, command);
        } catch (IOException e) {
            throw new IOException("HAProxy master socket " + masterSocket + ": " + e.getMessage(), e);
        }
    }
}

package io.berth.gateway.haproxy;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * HAProxy's Runtime API over its admin socket: one command per connection, the answer read to EOF.
 * Pool membership changes go through here (no reload), so it is the gateway's only way to touch
 * HAProxy besides a configuration reload.
 */
@ApplicationScoped
public class HaproxyRuntimeApi {

    private final Path adminSocket;
    private final Duration timeout;
    private final ExecutorService io = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "haproxy-runtime-api");
        t.setDaemon(true);
        return t;
    });

    public HaproxyRuntimeApi(@ConfigProperty(name = "berth.haproxy.admin-socket") Path adminSocket,
            @ConfigProperty(name = "berth.haproxy.timeout") Duration timeout) {
        this.adminSocket = adminSocket;
        this.timeout = timeout;
    }

    /** Runs one command and returns HAProxy's answer; fails with a message naming the socket. */
    public String execute(String command) throws IOException {
        if (command.contains("\n") || command.contains(";")) {
            throw new IllegalArgumentException("one command at a time: " + command);
        }
        Future<String> answer = io.submit(() -> roundTrip(command));
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new IOException("HAProxy admin socket " + adminSocket + " did not answer within " + timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("HAProxy admin socket " + adminSocket + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted talking to HAProxy", e);
        }
    }

    private String roundTrip(String command) throws IOException {
        return HaproxySocket.roundTrip(adminSocket, command);
    }

    /** {@code show info} as key/value pairs (Version, Uptime_sec, CurrConns, ...). */
    public Map<String, String> info() throws IOException {
        Map<String, String> info = new LinkedHashMap<>();
        for (String line : execute("show info").split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                info.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        if (!info.containsKey("Version")) {
            throw new IOException("HAProxy admin socket " + adminSocket + " gave no 'show info' answer");
        }
        return info;
    }
}

package io.berth.registrar.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.events.instance.InstanceState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The embedded agent as a source: {@code GET /api/instances} for the full list (and in
 * {@code X-Berth-Version} the version it reflects), then {@code GET /api/instances/watch?since=}
 * for every change after it, as a Kubernetes informer lists then watches. A dropped stream
 * resumes from the last version seen; a RESYNC from the agent (our version left its history)
 * or a {@link #resync()} request starts over with a fresh list.
 */
public final class AgentInstanceSource implements InstanceSource {
    private static final Logger LOG = Logger.getLogger(AgentInstanceSource.class);
    static final String VERSION_HEADER = "X-Berth-Version";
    private static final String RESYNC = "RESYNC";
    private static final String DELETED = "DELETED";

    private final URI agent;
    private final Optional<String> token;
    private final ObjectMapper json;
    private final HttpClient http;
    private volatile boolean running;
    private volatile boolean relistRequested;
    private volatile InputStream stream;
    private Thread thread;

    public AgentInstanceSource(URI agent, Optional<String> token, ObjectMapper json) {
        this.agent = agent;
        this.token = token;
        this.json = json;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** An instance as the agent's API shows it (only the fields the registrar reads). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record AgentInstance(String id, String app, int release, InstanceState state, String host, int port,
            String reason, long version, Map<String, String> labels) {
        RuntimeInstance toRuntime() {
            Map<String, String> l = labels == null ? Map.of() : labels;
            return new RuntimeInstance(id, app, l.get(RuntimeInstance.TEAM_LABEL), release, state, host, port, reason,
                    l, version);
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record AgentChange(String type, long version, AgentInstance instance) {
    }

    /** Thrown inside the watch loop to start over with a list. */
    private static final class Relist extends RuntimeException {
        Relist() {
            super(null, null, false, false);
        }
    }

    @Override
    public synchronized void start(Listener listener) {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(() -> loop(listener), "registrar-agent-watch");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void resync() {
        relistRequested = true;
        closeStream();
    }

    @Override
    public synchronized void stop() {
        running = false;
        closeStream();
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop(Listener listener) {
        long since = -1;
        long backoff = 100;
        boolean failing = false;
        while (running) {
            try {
                if (since < 0 || relistRequested) {
                    relistRequested = false;
                    since = list(listener);
                }
                since = watch(since, listener);
                backoff = 100;
                if (failing) {
                    LOG.infof("agent %s is back", agent);
                    failing = false;
                }
            } catch (Relist relist) {
                since = -1;
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                if (relistRequested) {
                    continue; // our own resync() closed the stream
                }
                if (!failing) {
                    LOG.warnf("agent %s unreachable (%s); retrying, the registry keeps its last state", agent,
                            e.getMessage());
                    failing = true;
                }
                sleep(backoff);
                backoff = Math.min(backoff * 2, 2000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "agent watch failed; starting over with a full list");
                since = -1;
                sleep(1000);
            }
        }
    }

    /** Lists every instance, hands the snapshot over, and returns the version to watch from. */
    private long list(Listener listener) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request("/api/instances").timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /api/instances answered " + response.statusCode());
        }
        long version = response.headers().firstValueAsLong(VERSION_HEADER)
                .orElseThrow(() -> new IOException("the agent sent no " + VERSION_HEADER));
        List<AgentInstance> instances = json.readValue(response.body(), new TypeReference<List<AgentInstance>>() {
        });
        listener.snapshot(instances.stream().map(AgentInstance::toRuntime).toList());
        return version;
    }

    /** Follows the watch stream until it ends; returns the last version seen. */
    private long watch(long since, Listener listener) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = http.send(request("/api/instances/watch?since=" + since)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("GET /api/instances/watch answered " + response.statusCode());
        }
        long[] last = {since};
        stream = response.body();
        if (relistRequested) {
            closeStream();
            throw new Relist();
        }
        ServerSentEvents events = new ServerSentEvents(data -> {
            AgentChange change;
            try {
                change = json.readValue(data, AgentChange.class);
            } catch (IOException e) {
                LOG.errorf("unreadable watch event from the agent (%s): %s; starting over with a full list",
                        e.getMessage(), data);
                throw new Relist();
            }
            if (RESYNC.equals(change.type())) {
                throw new Relist();
            }
            RuntimeInstance instance = change.instance().toRuntime();
            if (DELETED.equals(change.type())) {
                listener.removed(instance);
            } else {
                listener.changed(instance);
            }
            last[0] = Math.max(last[0], change.version());
        });
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                events.line(line);
            }
        } catch (IOException e) {
            if (relistRequested) {
                throw new Relist();
            }
            throw e;
        }
        if (relistRequested) {
            throw new Relist();
        }
        return last[0];
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(agent.resolve(path));
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        return builder;
    }

    private void closeStream() {
        InputStream s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing to unblock the reader; nothing to do
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

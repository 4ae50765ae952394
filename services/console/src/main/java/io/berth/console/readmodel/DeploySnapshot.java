package io.berth.console.readmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.console.ConsoleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * berth.deployments keeps a week (the broker's retention), so the deploy events of an app that has not
 * changed for longer are gone when the console starts. Once the read models have caught up, this asks
 * deploy for every app's desired state ({@code GET /api/apps}, as a Berth service) and fills in what the
 * events no longer say; it retries until deploy answers. It never overrides what an event said.
 */
@ApplicationScoped
public class DeploySnapshot {
    private static final Logger LOG = Logger.getLogger(DeploySnapshot.class);
    private static final int PAGE_SIZE = 500;
    private static final Duration RETRY = Duration.ofSeconds(10);

    private final ReadModels models;
    private final Optional<URI> deploy;
    private final Optional<String> serviceToken;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicBoolean filling = new AtomicBoolean();
    private volatile boolean running = true;

    DeploySnapshot(ReadModels models, ConsoleConfig config,
            @ConfigProperty(name = "berth.auth.service-token") Optional<String> serviceToken) {
        this.models = models;
        this.deploy = Optional.ofNullable(config.services().get("deploy"));
        this.serviceToken = serviceToken.filter(t -> !t.isBlank());
    }

    /**
     * Starts filling in, on a thread of its own, unless there is no deploy address or service token, or
     * a thread is still at it (after the views were read again, its answer is as good).
     */
    void startFillingIn() {
        if (deploy.isEmpty() || serviceToken.isEmpty()) {
            LOG.info("no deploy address or service token: apps whose deploy events have aged out show no release");
            return;
        }
        if (!filling.compareAndSet(false, true)) {
            return;
        }
        Thread thread = new Thread(this::fillInUntilDone, "berth-console-deploy-snapshot");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
    }

    private void fillInUntilDone() {
        try {
            retryUntilFilledIn();
        } finally {
            filling.set(false);
        }
    }

    private void retryUntilFilledIn() {
        while (running) {
            try {
                int apps = fillIn();
                LOG.infof("read models: deploy's state of %d apps filled in", apps);
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debugf("read models: deploy's app list not had (%s); again in %d s", e, RETRY.toSeconds());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                Thread.sleep(RETRY.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private int fillIn() throws IOException, InterruptedException {
        int count = 0;
        for (int page = 0; running; page++) {
            HttpRequest request = HttpRequest.newBuilder(deploy.get().resolve("/api/apps?page=" + page + "&size=" + PAGE_SIZE))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + serviceToken.get())
                    .header("Accept", "application/json")
                    .GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("deploy answered " + response.statusCode());
            }
            JsonNode apps = json.readTree(response.body());
            if (!apps.isArray()) {
                throw new IOException("deploy's answer is not a list of apps");
            }
            for (JsonNode app : apps) {
                models.fillIn(app.path("name").asText(), text(app, "team"), number(app, "replicas"),
                        number(app, "currentRelease"), number(app, "targetRelease"));
                count++;
            }
            if (apps.size() < PAGE_SIZE) {
                break;
            }
        }
        return count;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Integer number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isNumber() ? null : value.intValue();
    }
}

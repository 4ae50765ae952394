package io.berth.gateway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.gateway.model.AppPool;
import io.berth.gateway.model.Member;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Reads the registry through the registrar's query API: {@code GET /api/registry/apps}, then each
 * app's {@code /instances}; only instances whose {@code registered} flag is not false count.
 * Tolerant of shape: an app may be a string or an object with {@code app}/{@code name}; an
 * instance's id may be {@code instance} or {@code id}; a missing weight is 100.
 */
@ApplicationScoped
public class RegistrarRegistryReader implements RegistryReader {
    static final int DEFAULT_WEIGHT = 100;

    private final RegistrarClient registrar;

    RegistrarRegistryReader(@RestClient RegistrarClient registrar) {
        this.registrar = registrar;
    }

    @Override
    public Map<String, AppPool> read(Collection<String> knownApps) throws IOException {
        try {
            Map<String, AppPool> pools = new TreeMap<>();
            for (String app : appNames(registrar.apps())) {
                pools.put(app, pool(app, registrar.instances(app)));
            }
            return pools;
        } catch (RuntimeException e) {
            throw new IOException("registrar query API: " + e.getMessage(), e);
        }
    }

    static List<String> appNames(JsonNode answer) {
        List<String> names = new ArrayList<>();
        for (JsonNode app : items(answer, "apps")) {
            String name = app.isTextual() ? app.asText() : text(app, "app", "name", "id");
            if (name != null && !name.isBlank()) {
                names.add(name);
            }
        }
        return names;
    }

    static AppPool pool(String app, JsonNode answer) {
        Map<String, Member> members = new TreeMap<>();
        Optional<String> healthPath = Optional.empty();
        for (JsonNode i : items(answer, "instances")) {
            if (i.has("registered") && !i.get("registered").asBoolean(true)) {
                continue;
            }
            String id = text(i, "instance", "id", "instanceId");
            String host = text(i, "host", "address");
            int port = i.path("port").asInt(0);
            if (id == null || host == null || port < 1) {
                continue;
            }
            members.put(id, new Member(id, i.path("release").asInt(0), host, port,
                    i.path("weight").isNumber() ? i.path("weight").asInt() : DEFAULT_WEIGHT));
            String path = text(i, "healthPath");
            if (path == null) {
                path = text(i.path("health"), "path");
            }
            if (path != null) {
                healthPath = Optional.of(path);
            }
        }
        return new AppPool(app, healthPath, members);
    }

    /** A bare array, or an object that wraps one under {@code field} (or {@code items}). */
    private static Iterable<JsonNode> items(JsonNode answer, String field) {
        if (answer == null) {
            return List.of();
        }
        if (answer.isArray()) {
            return answer;
        }
        JsonNode wrapped = answer.has(field) ? answer.get(field) : answer.get("items");
        return wrapped != null && wrapped.isArray() ? wrapped : List.of();
    }

    private static String text(JsonNode node, String... fields) {
        if (node == null) {
            return null;
        }
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && value.isValueNode() && !value.asText().isBlank()) {
                return value.asText();
            }
        }
        return null;
    }

    @Override
    public String describe() {
        return "registrar query API";
    }
}

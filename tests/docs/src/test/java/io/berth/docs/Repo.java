package io.berth.docs;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The repository these tests check, and its services. */
final class Repo {
    static final Path ROOT = Path.of(System.getProperty("berth.repo.dir", "../..")).toAbsolutePath().normalize();

    /** Service name (as in docs/api/&lt;name&gt;.yaml) to its module directory, in port order. */
    static final Map<String, String> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("console", "services/console");
        SERVICES.put("deploy", "services/deploy");
        SERVICES.put("registrar", "services/registrar");
        SERVICES.put("autoscaler", "services/autoscaler");
        SERVICES.put("log-indexer", "services/log-indexer");
        SERVICES.put("agent", "services/agent");
        SERVICES.put("gateway", "gateway");
        SERVICES.put("log-collector", "services/log-collector");
        SERVICES.put("identity", "services/identity");
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    private Repo() {
    }
}

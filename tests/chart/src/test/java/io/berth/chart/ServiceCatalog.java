package io.berth.chart;

import java.util.List;

/** Berth's services as the chart installs them: object name, the module that holds the code, the HTTP port. */
record ServiceCatalog(String component, String module, int port) {
    static final List<ServiceCatalog> ALL = List.of(
            new ServiceCatalog("deploy", "services/deploy", 8081),
            new ServiceCatalog("registrar", "services/registrar", 8082),
            new ServiceCatalog("autoscaler", "services/autoscaler", 8083),
            new ServiceCatalog("log-indexer", "services/log-indexer", 8084),
            new ServiceCatalog("gateway", "gateway", 8086),
            new ServiceCatalog("log-collector", "services/log-collector", 8087),
            new ServiceCatalog("console", "services/console", 8080),
            new ServiceCatalog("identity", "services/identity", 8088));

    /** The services whose code calls the Kubernetes API; every other one gets no token. */
    static final List<String> WITH_KUBERNETES_API = List.of("deploy", "registrar");

    String objectName() {
        return Chart.RELEASE + "-" + component;
    }

    static ServiceCatalog of(String component) {
        return ALL.stream().filter(s -> s.component.equals(component)).findFirst().orElseThrow();
    }
}

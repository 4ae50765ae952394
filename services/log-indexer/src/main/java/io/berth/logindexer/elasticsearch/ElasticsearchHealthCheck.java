package io.berth.logindexer.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the cluster answers and is at least yellow (single node: replicas stay unassigned). */
@Readiness
@ApplicationScoped
public class ElasticsearchHealthCheck implements HealthCheck {
    private final ElasticsearchClient client;

    ElasticsearchHealthCheck(ElasticsearchClient client) {
        this.client = client;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("Elasticsearch cluster");
        try {
            HealthStatus status = client.cluster().health(h -> h.timeout(t -> t.time("1s"))).status();
            return response.status(status != HealthStatus.Red).withData("status", status.jsonValue()).build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}

package io.berth.logindexer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Against the Elasticsearch that bin/berth-dev runs. */
@QuarkusTest
class LogIndexerServiceTest {

    @Inject
    ElasticsearchClient elasticsearch;

    @Test
    void readinessAsksElasticsearchAndKafka() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Elasticsearch cluster' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"));
    }

    @Test
    @SuppressWarnings("rawtypes")
    void indexesAndFindsADocument() throws IOException {
        String index = "berth-smoke-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            elasticsearch.index(i -> i.index(index).id("1").refresh(Refresh.True)
                    .document(Map.of("app", "shop", "message", "GET /cart 200 in 3 ms")));
            var hits = elasticsearch.search(s -> s.index(index).query(q -> q.match(m -> m.field("message").query("cart"))),
                    Map.class).hits().hits();
            assertEquals(1, hits.size());
            assertEquals("shop", hits.get(0).source().get("app"));
        } finally {
            elasticsearch.indices().delete(d -> d.index(index).ignoreUnavailable(true));
        }
    }

    @Test
    void everyEndpointButHealthRefusesACallWithoutTheToken() {
        io.berth.common.testing.EveryEndpoint.requiresAToken();
    }
}

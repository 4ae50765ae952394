package io.berth.logindexer.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.http.HttpHost;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.elasticsearch.client.RestClient;

/**
 * The Elasticsearch client, built from berth.elasticsearch.url. (The Quarkus extension for it does
 * not resolve on the project's Maven mirror, so this is the plain library.) The low-level client is
 * closed on shutdown, or its I/O threads would keep the JVM alive.
 */
@ApplicationScoped
public class ElasticsearchClientProducer {

    @Produces
    @Singleton
    RestClient restClient(@ConfigProperty(name = "berth.elasticsearch.url") String url) {
        return RestClient.builder(HttpHost.create(url))
                .setRequestConfigCallback(c -> c.setConnectTimeout(2_000).setSocketTimeout(30_000))
                .build();
    }

    void close(@Disposes RestClient client) throws java.io.IOException {
        client.close();
    }

    @Produces
    @Singleton
    ElasticsearchClient elasticsearch(RestClient restClient, ObjectMapper mapper) {
        // the client reads values out of the middle of a response: the API's strictness about trailing content
        // (common's StrictJson) would refuse every one of them
        ObjectMapper forResponses = mapper.copy().disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        return new ElasticsearchClient(new RestClientTransport(restClient, new JacksonJsonpMapper(forResponses)));
    }
}

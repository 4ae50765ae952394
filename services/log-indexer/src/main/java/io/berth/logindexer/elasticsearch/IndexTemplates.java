package io.berth.logindexer.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.berth.logindexer.LogsConfig;
import io.berth.logindexer.document.IndexNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Installs the index templates (log indices and the dead-letter index) before anything is indexed,
 * so that a daily index is always created with the explicit mappings and never from dynamic ones.
 * Putting a template is idempotent; it is done at the first write and again after Elasticsearch
 * was unreachable (it may have come back empty).
 */
@ApplicationScoped
public class IndexTemplates {
    private final ElasticsearchClient client;
    private final LogsConfig config;
    private final IndexNames names;

    IndexTemplates(ElasticsearchClient client, LogsConfig config) {
        this.client = client;
        this.config = config;
        this.names = new IndexNames(config.indexPrefix());
    }

    public void install() throws IOException {
        put(names.prefix(), render("logs.json"));
        put(names.deadLetter(), render("deadletter.json"));
    }

    private void put(String name, String json) throws IOException {
        client.indices().putIndexTemplate(t -> t.name(name)
                .withJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
    }

    /** The template text with its placeholders filled in from the configuration. */
    String render(String resource) {
        try (InputStream in = IndexTemplates.class.getResourceAsStream("/templates/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${prefix}", config.indexPrefix())
                    .replace("${replicas}", Integer.toString(config.replicas()))
                    .replace("${refresh}", config.refreshInterval().toMillis() + "ms");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.berth.logindexer.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.logindexer.LogsConfig;
import io.berth.logindexer.document.DocumentJson;
import io.berth.logindexer.document.IndexNames;
import io.berth.logindexer.document.KafkaRecord;
import io.berth.logindexer.document.Mapped;
import io.berth.logindexer.document.RecordMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.jboss.logging.Logger;

/**
 * Writes a batch of records into Elasticsearch, every one of them accounted for when it returns:
 * indexed, dead-lettered (refused for a reason retrying will not fix: mapping errors, other 4xx),
 * or skipped (tombstones). Items refused with 429/5xx while the rest went in are retried with
 * backoff, and dead-lettered after {@code itemMaxAttempts} so that one record never blocks its
 * partition. If Elasticsearch takes nothing at all, {@link ElasticsearchUnavailableException}
 * tells the caller to pause and retry the whole batch later; since ids are topic-partition-offset,
 * re-sending what already went in overwrites it.
 *
 * <p>The bulk body is written as bytes and sent through the low-level client, and Elasticsearch is
 * asked for nothing back but each item's status and error ({@code filter_path}): building and
 * reading the typed client's request and response objects for thousands of items a second cost
 * as much CPU as the documents themselves, on cores that Elasticsearch needs.
 */
@ApplicationScoped
public class BulkIndexer {
    private static final Logger LOG = Logger.getLogger(BulkIndexer.class);
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson", StandardCharsets.UTF_8);
    private static final ObjectMapper RESPONSE = new ObjectMapper();
    private static final byte[] INDEX = "{\"index\":{\"_index\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ID = ",\"_id\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END_ACTION = "}}\n".getBytes(StandardCharsets.UTF_8);

    private final RestClient client;
    private final LogsConfig config;
    private final IndexNames names;
    private final RecordMapper mapper;
    private final IndexerMetrics metrics;

    BulkIndexer(RestClient client, LogsConfig config, IndexerMetrics metrics) {
        this.client = client;
        this.config = config;
        this.names = new IndexNames(config.indexPrefix());
        this.mapper = new RecordMapper(config.maxMessageChars(), config.maxJsonBytes());
        this.metrics = metrics;
    }

    public record Result(int indexed, int deadLettered, int skipped) {
    }

    private record Item(KafkaRecord record, String id, String index, byte[] json) {
    }

    private record Refused(KafkaRecord record, String reason) {
    }

    /** One item's outcome as Elasticsearch reported it: error is null when it went in. */
    record ItemResult(int status, String error) {
    }

    public Result write(List<KafkaRecord> records) throws ElasticsearchUnavailableException {
        List<Item> items = new ArrayList<>(records.size());
        List<Refused> poison = new ArrayList<>();
        int skipped = 0;
        for (KafkaRecord record : records) {
            Mapped mapped = mapper.map(record);
            if (mapped instanceof Mapped.Document d) {
                try {
                    items.add(new Item(record, d.document().id(), names.daily(d.document().app(), d.document().time()), DocumentJson.log(d.document())));
                } catch (JsonProcessingException | RuntimeException e) {
                    poison.add(new Refused(record, "cannot serialise: " + e.getMessage()));
                }
            } else if (mapped instanceof Mapped.Poison p) {
                poison.add(new Refused(p.record(), p.reason()));
            } else {
                skipped++;
            }
        }
        int indexed = 0;
        for (List<Item> chunk : chunks(items)) {
            indexed += writeChunk(chunk, poison);
        }
        deadLetter(poison);
        return new Result(indexed, poison.size(), skipped);
    }

    /** Splits by size so that one bulk request stays well under Elasticsearch's 100 MB limit. */
    private List<List<Item>> chunks(List<Item> items) {
        List<List<Item>> chunks = new ArrayList<>();
        List<Item> current = new ArrayList<>();
        long bytes = 0;
        for (Item item : items) {
            if (!current.isEmpty() && bytes + item.json().length > config.bulkMaxBytes()) {
                chunks.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(item);
            bytes += item.json().length;
        }
        if (!current.isEmpty()) {
            chunks.add(current);
        }
        return chunks;
    }

    private int writeChunk(List<Item> chunk, List<Refused> poison) throws ElasticsearchUnavailableException {
        List<Item> pending = chunk;
        int indexed = 0;
        for (int attempt = 1; ; attempt++) {
            List<ItemResult> results = bulk(pending);
            List<Item> retry = new ArrayList<>();
            String lastRetryReason = null;
            int ok = 0;
            for (int i = 0; i < pending.size(); i++) {
                ItemResult result = results.get(i);
                Item item = pending.get(i);
                if (result.error() == null) {
                    ok++;
                } else if (retryable(result.status())) {
                    retry.add(item);
                    lastRetryReason = result.status() + " " + result.error();
                } else {
                    poison.add(new Refused(item.record(), result.status() + " " + result.error()));
                }
            }
            indexed += ok;
            metrics.indexed.increment(ok);
            if (retry.isEmpty()) {
                return indexed;
            }
            if (retry.size() == pending.size() && attempt >= 3) {
                // nothing went in, several times: Elasticsearch is overloaded or broken, not the records
                throw new ElasticsearchUnavailableException("every item refused: " + lastRetryReason, null);
            }
            if (attempt >= config.itemMaxAttempts()) {
                for (Item item : retry) {
                    poison.add(new Refused(item.record(), "gave up after " + attempt + " attempts: " + lastRetryReason));
                }
                return indexed;
            }
            metrics.itemRetries.increment(retry.size());
            sleep(Backoff.delay(config.backoffInitial(), config.backoffMax(), attempt));
            pending = retry;
        }
    }

    private List<ItemResult> bulk(List<Item> items) throws ElasticsearchUnavailableException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(items.size() * 96 + items.stream().mapToInt(i -> i.json().length).sum());
        for (Item item : items) {
            action(body, item.index(), item.id());
            body.writeBytes(item.json());
            body.write('\n');
        }
        long start = System.nanoTime();
        try {
            return send(body.toByteArray(), items.size());
        } finally {
            metrics.bulkLatency.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private static void action(ByteArrayOutputStream body, String index, String id) {
        body.writeBytes(INDEX);
        body.writeBytes(jsonString(index));
        body.writeBytes(ID);
        body.writeBytes(jsonString(id));
        body.writeBytes(END_ACTION);
    }

    private static byte[] jsonString(String text) {
        try {
            return RESPONSE.writeValueAsBytes(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string is always JSON", e);
        }
    }

    /** One _bulk call; the per-item outcomes in request order. */
    private List<ItemResult> send(byte[] body, int expected) throws ElasticsearchUnavailableException {
        Request request = new Request("POST", "/_bulk");
        request.addParameter("filter_path", "errors,items.*.status,items.*.error.type,items.*.error.reason,items.*.error.caused_by.type,items.*.error.caused_by.reason");
        request.setEntity(new ByteArrayEntity(body, NDJSON));
        JsonNode response;
        try {
            Response answer = client.performRequest(request);
            response = RESPONSE.readTree(answer.getEntity().getContent());
        } catch (ResponseException e) {
            throw new ElasticsearchUnavailableException("bulk of " + expected + " refused: " + e.getResponse().getStatusLine(), e);
        } catch (IOException | RuntimeException e) {
            throw new ElasticsearchUnavailableException("bulk of " + expected + " failed: " + e, e);
        }
        return itemResults(response, expected);
    }

    static List<ItemResult> itemResults(JsonNode response, int expected) throws ElasticsearchUnavailableException {
        JsonNode items = response.path("items");
        if (items.size() != expected) {
            throw new ElasticsearchUnavailableException("bulk answered " + items.size() + " items for " + expected, null);
        }
        List<ItemResult> results = new ArrayList<>(expected);
        for (JsonNode wrapper : items) {
            JsonNode item = wrapper.elements().next();
            JsonNode error = item.get("error");
            results.add(new ItemResult(item.path("status").asInt(), error == null ? null : describe(error)));
        }
        return results;
    }

    private void deadLetter(List<Refused> refused) throws ElasticsearchUnavailableException {
        if (refused.isEmpty()) {
            return;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        Instant now = Instant.now();
        for (Refused r : refused) {
            try {
                action(body, names.deadLetter(), r.record().id());
                body.writeBytes(DocumentJson.deadLetter(r.record(), r.reason(), now));
                body.write('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a dead-letter entry is plain text and base64", e);
            }
            LOG.warnf("dead-lettered %s: %s", r.record().id(), r.reason());
        }
        List<ItemResult> results = send(body.toByteArray(), refused.size());
        for (int i = 0; i < results.size(); i++) {
            ItemResult result = results.get(i);
            if (result.error() != null) {
                if (retryable(result.status())) {
                    throw new ElasticsearchUnavailableException("dead-letter write refused: " + result.error(), null);
                }
                // the dead-letter mapping indexes almost nothing: this should not happen, and must not block
                LOG.errorf("dead-letter entry %s refused, dropped: %s", refused.get(i).record().id(), result.error());
            }
        }
        metrics.deadLettered.increment(refused.size());
    }

    static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    private static String describe(JsonNode error) {
        String text = error.path("type").asText() + ": " + error.path("reason").asText();
        JsonNode cause = error.get("caused_by");
        return cause != null ? text + " (caused by " + cause.path("type").asText() + ": " + cause.path("reason").asText() + ")" : text;
    }

    private static void sleep(Duration d) throws ElasticsearchUnavailableException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ElasticsearchUnavailableException("interrupted", e);
        }
    }
}

package io.berth.logindexer.pipeline;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.util.BinaryData;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.berth.logindexer.LogsConfig;
import io.berth.logindexer.document.DocumentJson;
import io.berth.logindexer.document.IndexNames;
import io.berth.logindexer.document.KafkaRecord;
import io.berth.logindexer.document.Mapped;
import io.berth.logindexer.document.RecordMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Writes a batch of records into Elasticsearch, every one of them accounted for when it returns:
 * indexed, dead-lettered (refused for a reason retrying will not fix: mapping errors, other 4xx),
 * or skipped (tombstones). Items refused with 429/5xx while the rest went in are retried with
 * backoff, and dead-lettered after {@code itemMaxAttempts} so that one record never blocks its
 * partition. If Elasticsearch takes nothing at all, {@link ElasticsearchUnavailableException}
 * tells the caller to pause and retry the whole batch later; since ids are topic-partition-offset,
 * re-sending what already went in overwrites it.
 */
@ApplicationScoped
public class BulkIndexer {
    private static final Logger LOG = Logger.getLogger(BulkIndexer.class);
    private static final String JSON = "application/json";

    private final ElasticsearchClient client;
    private final LogsConfig config;
    private final IndexNames names;
    private final RecordMapper mapper;
    private final IndexerMetrics metrics;

    BulkIndexer(ElasticsearchClient client, LogsConfig config, IndexerMetrics metrics) {
        this.client = client;
        this.config = config;
        this.names = new IndexNames(config.indexPrefix());
        this.mapper = new RecordMapper(config.maxMessageChars(), config.maxJsonBytes());
        this.metrics = metrics;
    }

    public record Result(int indexed, int deadLettered, int skipped) {
    }

    private record Item(KafkaRecord record, String index, byte[] json) {
    }

    private record Refused(KafkaRecord record, String reason) {
    }

    public Result write(List<KafkaRecord> records) throws ElasticsearchUnavailableException {
        List<Item> items = new ArrayList<>(records.size());
        List<Refused> poison = new ArrayList<>();
        int skipped = 0;
        for (KafkaRecord record : records) {
            Mapped mapped = mapper.map(record);
            if (mapped instanceof Mapped.Document d) {
                try {
                    items.add(new Item(record, names.daily(d.document().app(), d.document().time()), DocumentJson.log(d.document())));
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
            BulkResponse response = bulk(pending);
            List<Item> retry = new ArrayList<>();
            String lastRetryReason = null;
            List<BulkResponseItem> results = response.items();
            for (int i = 0; i < results.size(); i++) {
                BulkResponseItem result = results.get(i);
                Item item = pending.get(i);
                if (result.error() == null) {
                    indexed++;
                } else if (retryable(result.status())) {
                    retry.add(item);
                    lastRetryReason = result.status() + " " + describe(result.error());
                } else {
                    poison.add(new Refused(item.record(), result.status() + " " + describe(result.error())));
                }
            }
            metrics.indexed.increment(countOk(results));
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

    private static int countOk(List<BulkResponseItem> results) {
        int ok = 0;
        for (BulkResponseItem r : results) {
            if (r.error() == null) {
                ok++;
            }
        }
        return ok;
    }

    private BulkResponse bulk(List<Item> items) throws ElasticsearchUnavailableException {
        BulkRequest.Builder request = new BulkRequest.Builder();
        for (Item item : items) {
            request.operations(op -> op.index(i -> i.index(item.index()).id(item.record().id())
                    .document(BinaryData.of(item.json(), JSON))));
        }
        long start = System.nanoTime();
        try {
            return client.bulk(request.build());
        } catch (Exception e) {
            throw new ElasticsearchUnavailableException("bulk of " + items.size() + " failed: " + e, e);
        } finally {
            metrics.bulkLatency.record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void deadLetter(List<Refused> refused) throws ElasticsearchUnavailableException {
        if (refused.isEmpty()) {
            return;
        }
        BulkRequest.Builder request = new BulkRequest.Builder();
        Instant now = Instant.now();
        for (Refused r : refused) {
            byte[] json;
            try {
                json = DocumentJson.deadLetter(r.record(), r.reason(), now);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a dead-letter entry is plain text and base64", e);
            }
            request.operations(op -> op.index(i -> i.index(names.deadLetter()).id(r.record().id())
                    .document(BinaryData.of(json, JSON))));
            LOG.warnf("dead-lettered %s: %s", r.record().id(), r.reason());
        }
        BulkResponse response;
        try {
            response = client.bulk(request.build());
        } catch (Exception e) {
            throw new ElasticsearchUnavailableException("dead-letter bulk failed: " + e, e);
        }
        for (BulkResponseItem item : response.items()) {
            if (item.error() != null) {
                if (retryable(item.status())) {
                    throw new ElasticsearchUnavailableException("dead-letter write refused: " + describe(item.error()), null);
                }
                // the dead-letter mapping indexes almost nothing: this should not happen, and must not block
                LOG.errorf("dead-letter entry %s refused, dropped: %s", item.id(), describe(item.error()));
            }
        }
        metrics.deadLettered.increment(refused.size());
    }

    static boolean retryable(int status) {
        return status == 429 || status >= 500;
    }

    private static String describe(ErrorCause error) {
        String text = error.type() + ": " + error.reason();
        return error.causedBy() != null ? text + " (caused by " + error.causedBy().type() + ": " + error.causedBy().reason() + ")" : text;
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

package io.berth.logindexer.api;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.problem.Problem;
import io.berth.common.problem.ProblemException;
import io.berth.logindexer.LogsConfig;
import io.berth.logindexer.document.DocumentJson;
import io.berth.logindexer.document.IndexNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an app's logs from Elasticsearch. A window names only its own days' indices of that app,
 * total hits are not counted, and pages follow each other with search_after: the cost of a page
 * does not grow with the app's volume or with how deep the caller pages.
 */
@ApplicationScoped
public class LogSearch {
    static final int EXPORT_PAGE = 2000;

    private final ElasticsearchClient client;
    private final IndexNames names;
    private final LogsConfig config;
    private final ObjectMapper json;

    LogSearch(ElasticsearchClient client, LogsConfig config, ObjectMapper json) {
        this.client = client;
        this.config = config;
        this.names = new IndexNames(config.indexPrefix());
        this.json = json;
    }

    public record Page(String app, List<Map<String, Object>> lines, String next, long tookMillis) {
    }

    @SuppressWarnings("rawtypes")
    public Page search(LogQuery q) {
        SearchResponse<Map> response = call(() -> client.search(s -> {
            s.index(names.covering(q.app(), q.from(), q.to()))
                    .ignoreUnavailable(true).allowNoIndices(true)
                    .query(SearchQueries.of(q))
                    .sort(SearchQueries.sort(SortOrder.Desc))
                    .size(q.size())
                    .trackTotalHits(t -> t.enabled(false));
            if (q.searchAfter() != null) {
                s.searchAfter(SearchQueries.after(q.searchAfter()));
            }
            return s;
        }, Map.class));
        List<Map<String, Object>> lines = new ArrayList<>();
        List<Long> last = null;
        for (Hit<Map> hit : response.hits().hits()) {
            lines.add(entry(hit));
            last = sortValues(hit.sort());
        }
        String next = lines.size() == q.size() && last != null ? Cursor.encode(last) : null;
        return new Page(q.app(), lines, next, response.took());
    }

    /** How many lines a window holds, up to {@code limit + 1} (enough to refuse an export that is too big). */
    public long count(LogQuery q) {
        return call(() -> client.count(c -> c.index(names.covering(q.app(), q.from(), q.to()))
                .ignoreUnavailable(true).allowNoIndices(true).query(SearchQueries.of(q)))).count();
    }

    /** Streams the window oldest first as NDJSON, through a point in time so that the pages are consistent. */
    @SuppressWarnings("rawtypes")
    public void export(LogQuery q, OutputStream out) throws IOException {
        String pit;
        try {
            pit = client.openPointInTime(p -> p.index(names.covering(q.app(), q.from(), q.to()))
                    .ignoreUnavailable(true).keepAlive(t -> t.time("2m"))).id();
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                return; // none of the window's indices exist: nothing logged
            }
            throw e;
        }
        try {
            List<FieldValue> after = null;
            while (true) {
                final List<FieldValue> from = after;
                final String pitId = pit;
                SearchResponse<Map> page = client.search(s -> {
                    s.pit(p -> p.id(pitId).keepAlive(t -> t.time("2m")))
                            .query(SearchQueries.of(q))
                            .sort(SearchQueries.sort(SortOrder.Asc))
                            .size(EXPORT_PAGE)
                            .trackTotalHits(t -> t.enabled(false));
                    if (from != null) {
                        s.searchAfter(from);
                    }
                    return s;
                }, Map.class);
                List<Hit<Map>> hits = page.hits().hits();
                for (Hit<Map> hit : hits) {
                    json.writeValue(new NonClosing(out), entry(hit));
                    out.write('\n');
                }
                out.flush();
                if (hits.size() < EXPORT_PAGE) {
                    return;
                }
                after = hits.get(hits.size() - 1).sort();
                if (page.pitId() != null) {
                    pit = page.pitId();
                }
            }
        } finally {
            final String pitId = pit;
            try {
                client.closePointInTime(c -> c.id(pitId));
            } catch (IOException | RuntimeException ignored) {
                // it expires on its own after keep_alive
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<String, Object> entry(Hit<Map> hit) {
        return DocumentJson.entry(hit.id(), hit.source() == null ? Map.of() : (Map<String, Object>) hit.source());
    }

    private static List<Long> sortValues(List<FieldValue> sort) {
        List<Long> values = new ArrayList<>();
        for (FieldValue v : sort) {
            values.add(v.isLong() ? v.longValue() : v.isDouble() ? (long) v.doubleValue() : Long.parseLong(v._toJsonString()));
        }
        return values;
    }

    interface EsCall<T> {
        T call() throws IOException;
    }

    /** Elasticsearch unreachable or failing is the service's trouble, not the caller's: a 503 problem. */
    static <T> T call(EsCall<T> call) {
        try {
            return call.call();
        } catch (IOException | ElasticsearchException e) {
            throw new ProblemException(Problem.of(503, "Service Unavailable", "log store unavailable: " + e.getMessage()));
        }
    }

    /** Jackson closes the stream it writes to unless told otherwise; the response stream must stay open. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
    }
}

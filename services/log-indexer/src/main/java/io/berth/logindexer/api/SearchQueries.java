package io.berth.logindexer.api;

import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import java.util.ArrayList;
import java.util.List;

/**
 * The Elasticsearch side of a {@link LogQuery}: filters only (cacheable, no scoring) on the app,
 * the window and the keywords; the text as a simple_query_string, which never fails on syntax.
 * Lines sort by time, then partition and offset, which are unique within an app's topic and keep
 * one instance's lines of the same instant in the order they were written.
 */
public final class SearchQueries {
    public static final String TIMESTAMP = "@timestamp";

    private SearchQueries() {
    }

    public static Query of(LogQuery q) {
        List<Query> filters = new ArrayList<>();
        filters.add(Query.of(f -> f.term(t -> t.field("app").value(q.app()))));
        filters.add(Query.of(f -> f.range(r -> r.date(d -> d.field(TIMESTAMP)
                .gte(q.from().toString()).lte(q.to().toString()).format("strict_date_optional_time_nanos")))));
        if (!q.levels().isEmpty()) {
            List<FieldValue> levels = q.levels().stream().map(FieldValue::of).toList();
            filters.add(Query.of(f -> f.terms(t -> t.field("level").terms(v -> v.value(levels)))));
        }
        if (q.instance() != null) {
            filters.add(Query.of(f -> f.term(t -> t.field("instance").value(q.instance()))));
        }
        if (q.release() != null) {
            filters.add(Query.of(f -> f.term(t -> t.field("release").value(q.release()))));
        }
        if (q.text() != null) {
            filters.add(Query.of(f -> f.simpleQueryString(s -> s.query(q.text()).fields("message")
                    .defaultOperator(Operator.And).lenient(true))));
        }
        return Query.of(b -> b.bool(bool -> bool.filter(filters)));
    }

    public static List<SortOptions> sort(SortOrder order) {
        return List.of(
                SortOptions.of(s -> s.field(f -> f.field(TIMESTAMP).order(order).numericType(
                        co.elastic.clients.elasticsearch._types.FieldSortNumericType.DateNanos))),
                SortOptions.of(s -> s.field(f -> f.field("kafka.partition").order(order))),
                SortOptions.of(s -> s.field(f -> f.field("kafka.offset").order(order))));
    }

    public static List<FieldValue> after(List<Long> cursor) {
        return cursor.stream().map(FieldValue::of).toList();
    }
}

package io.berth.logindexer.api;

import io.berth.common.problem.Problem;
import io.berth.common.problem.ProblemException;
import io.berth.logindexer.LogsConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The log API: search, live tail and export of one app's logs. */
@Path("/api/logs/{app}")
@Tag(name = "logs")
public class LogResource {
    public static final String NDJSON = "application/x-ndjson";

    private final LogSearch search;
    private final LogTail tail;
    private final LogAccess access;
    private final LogsConfig config;
    private final Clock clock = Clock.systemUTC();

    LogResource(LogSearch search, LogTail tail, LogAccess access, LogsConfig config) {
        this.search = search;
        this.tail = tail;
        this.access = access;
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Search an app's logs, newest first",
            description = "Filters are ANDed. Pages follow with the returned `next` cursor passed as `searchAfter`; "
                    + "`next` is null on the last page. Times are RFC 3339 or an age such as 15m.")
    public LogSearch.Page search(@PathParam("app") String app,
            @Parameter(description = "start of the window (inclusive); default: the retention period back from `to`") @QueryParam("from") String from,
            @Parameter(description = "end of the window (inclusive); default: now") @QueryParam("to") String to,
            @Parameter(description = "words that must all appear in the message; simple query syntax (\"phrase\", -not, prefix*)") @QueryParam("q") String q,
            @Parameter(description = "levels, comma-separated: trace, debug, info, warn, error, fatal") @QueryParam("level") String level,
            @QueryParam("instance") String instance,
            @QueryParam("release") String release,
            @Parameter(description = "lines per page, 1 to 1000 (default 100)") @QueryParam("size") String size,
            @Parameter(description = "the `next` cursor of the previous page") @QueryParam("searchAfter") String searchAfter) {
        LogQuery query = query(app, new LogQuery.Params(from, to, q, level, instance, release, size, searchAfter));
        return search.search(query);
    }

    @GET
    @Path("/tail")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Follow an app's logs live (Server-Sent Events, straight from Kafka)",
            description = "First a `ready` event once the stream is positioned, then one `log` event per line (JSON, id = "
                    + "topic-partition-offset), and comments as keep-alives. `since` replays from that time first.")
    public void tail(@PathParam("app") String app,
            @Parameter(description = "replay lines from this time (RFC 3339 or an age such as 5m); default: only new lines") @QueryParam("since") String since,
            @QueryParam("level") String level,
            @QueryParam("instance") String instance,
            @Parameter(description = "words that must all appear in the message (case-insensitive)") @QueryParam("q") String q,
            @Context SseEventSink sink, @Context Sse sse) {
        String checkedApp = LogQuery.app(app);
        access.requireRead(checkedApp);
        Instant from = TimeParam.parse("since", since, clock.instant());
        TailFilter filter = TailFilter.of(LogQuery.levels(level), blank(instance) ? null : instance, q);
        tail.start(checkedApp, from, filter, access.stillReadable(checkedApp), sink, sse);
    }

    @GET
    @Path("/export")
    @Produces(NDJSON)
    @Operation(summary = "Export a window of an app's logs as NDJSON, oldest first",
            description = "Takes the search's filters. A window of more than berth.logs.export-max-lines lines is refused (400): narrow it.")
    public Response export(@PathParam("app") String app,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("q") String q,
            @QueryParam("level") String level, @QueryParam("instance") String instance,
            @QueryParam("release") String release) {
        LogQuery query = query(app, new LogQuery.Params(from, to, q, level, instance, release, null, null));
        long lines = search.count(query);
        if (lines > config.exportMaxLines()) {
            throw ProblemException.invalidField("from", "the window holds " + lines + " lines, more than the export limit of "
                    + config.exportMaxLines() + "; narrow it");
        }
        StreamingOutput body = out -> search.export(query, out);
        return Response.ok(body, NDJSON)
                .header("Content-Disposition", "attachment; filename=\"" + query.app() + "-logs.ndjson\"")
                .build();
    }

    private LogQuery query(String app, LogQuery.Params params) {
        LogQuery query = LogQuery.parse(app, params, clock.instant(), Duration.ofDays(config.retentionDays()).plusDays(1),
                config.searchMaxSize());
        access.requireRead(query.app());
        return query;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static ProblemException unavailable(String what) {
        return new ProblemException(Problem.of(503, "Service Unavailable", what));
    }
}

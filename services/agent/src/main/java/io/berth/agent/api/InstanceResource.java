package io.berth.agent.api;

import io.berth.agent.instance.InstanceChange;
import io.berth.agent.instance.InstanceSpec;
import io.berth.agent.instance.InstanceView;
import io.berth.agent.instance.Supervisor;
import io.berth.common.access.AppAccess;
import io.berth.common.access.PlatformOnly;
import io.berth.common.problem.Problem;
import io.berth.common.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The agent's API, used by the deploy service (start, stop, list) and the registrar (watch).
 * Starting is idempotent by instance id, so a deploy service that retries after a crash never
 * doubles an instance.
 *
 * <p>Changes are internal to the platform: a spec names any command under any team label, so only
 * the platform admin and the services (deploy, with the service token) start and stop instances; a
 * team member gets 403. A member reads the instances of their teams' apps, by the app's owner in the
 * directory, never by the instance's own label: the list and the watch with {@code ?app=} (another
 * team's app is a 404, by common's AppAccessFilter; without {@code ?app=} a 403, since the answer
 * would span every team), and one instance or its log by id (another team's is answered as an id
 * that does not exist).
 */
@Path("/api/instances")
@Blocking
public class InstanceResource {
    public static final String VERSION_HEADER = "X-Berth-Version";
    private final Supervisor supervisor;
    private final AppAccess access;

    InstanceResource(Supervisor supervisor, AppAccess access) {
        this.supervisor = supervisor;
        this.access = access;
    }

    /** The instances, and in {@code X-Berth-Version} the version to resume a watch from. */
    @GET
    public Response list(@RestQuery String app) {
        requireOneAppUnlessPlatform(app);
        long version = supervisor.watchLog().currentVersion();
        return Response.ok(supervisor.list(Optional.ofNullable(app))).header(VERSION_HEADER, version).build();
    }

    @GET
    @Path("/{id}")
    public InstanceView get(@RestPath String id) {
        return visible(id);
    }

    @POST
    @PlatformOnly
    public Response start(@Valid @NotNull InstanceSpec spec) {
        boolean existed = supervisor.get(spec.id()).isPresent();
        InstanceView view = supervisor.start(spec);
        return Response.status(existed ? 200 : 201).entity(view).build();
    }

    /**
     * Graceful stop: Terminating at once, SIGTERM to the instance's process group after
     * {@code drainSeconds} (the registry has dropped it by then), SIGKILL after the grace period.
     */
    @DELETE
    @Path("/{id}")
    @PlatformOnly
    public Response stop(@RestPath String id, @RestQuery @Min(0) @Max(3600) Integer drainSeconds,
            @RestQuery @Min(0) @Max(3600) Integer gracePeriodSeconds) {
        return supervisor.stop(id, drainSeconds, gracePeriodSeconds)
                .map(view -> Response.accepted(view).build())
                .orElseThrow(() -> notFound(id));
    }

    /** The last lines of the instance's CRI log file (for failure reports). */
    @GET
    @Path("/{id}/log")
    @Produces(MediaType.TEXT_PLAIN)
    public String tail(@RestPath String id, @RestQuery @Min(1) @Max(10_000) Integer lines) throws IOException {
        visible(id);
        java.nio.file.Path file = supervisor.logFile(id).orElseThrow(() -> notFound(id));
        if (!Files.exists(file)) {
            return "";
        }
        List<String> all = Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        int n = lines == null ? 50 : lines;
        return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
    }

    /**
     * Server-Sent Events of instance changes after {@code since} (a version from an earlier change
     * or from {@code X-Berth-Version}), then live. A resume point older than the kept history
     * starts with a RESYNC of every instance.
     */
    @GET
    @Path("/watch")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<InstanceChange> watch(@RestQuery Long since, @RestQuery String app) {
        requireOneAppUnlessPlatform(app);
        return supervisor.watchLog().since(since, () -> supervisor.list(Optional.ofNullable(app)))
                .filter(change -> app == null || app.equals(change.instance().app()));
    }

    /** The instance, if the caller may see its app; another team's is answered as one that does not exist. */
    private InstanceView visible(String id) {
        return supervisor.get(id).filter(instance -> access.sees(instance.app())).orElseThrow(() -> notFound(id));
    }

    /** Every instance of the node spans every team: a member names one of their apps. */
    private void requireOneAppUnlessPlatform(String app) {
        if (app == null && !access.visibleTeams().everyTeam()) {
            throw new ProblemException(Problem.of(403, "Forbidden",
                    "a team member lists and watches the instances of one app: add ?app=<app>"));
        }
    }

    private static ProblemException notFound(String id) {
        return ProblemException.notFound("instance '" + id + "' does not exist on this agent");
    }
}

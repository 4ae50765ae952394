package io.berth.autoscaler.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Page;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

@Path("/api/apps/{app}/autoscaling/decisions")
@Tag(name = "autoscaling")
public class DecisionResource {
    private final ObjectMapper json;

    DecisionResource(ObjectMapper json) {
        this.json = json;
    }

    /** One decision: when, from and to, the rule's account of why, and the inputs it saw. */
    public record DecisionView(UUID id, String app, OffsetDateTime decidedAt, int fromReplicas, int toReplicas,
            String reason, JsonNode inputs, boolean dryRun, boolean published) {
    }

    @GET
    @Operation(summary = "The app's decisions, newest first: inputs, rule and result of each")
    public Uni<List<DecisionView>> list(@RestPath String app, @RestQuery @DefaultValue("0") @Min(0) int page,
            @RestQuery @DefaultValue("50") @Min(1) @Max(500) int size) {
        return Decision.<Decision>find("app = ?1 order by decidedAt desc", app).page(Page.of(page, size)).list()
                .map(list -> list.stream().map(this::view).toList());
    }

    private DecisionView view(Decision d) {
        try {
            return new DecisionView(d.id, d.app, d.decidedAt, d.fromReplicas, d.toReplicas, d.reason,
                    json.readTree(d.inputs), d.dryRun, d.published);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

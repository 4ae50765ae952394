package io.berth.autoscaler.policy;

import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;

@Path("/api/apps/{app}/autoscaling/policies")
public class PolicyResource {

    public record PolicyView(long id, String app, String metric, double target, int minReplicas, int maxReplicas) {
        static PolicyView of(Policy p) {
            return new PolicyView(p.id, p.app, p.metric, p.target, p.minReplicas, p.maxReplicas);
        }
    }

    @GET
    public Uni<List<PolicyView>> list(@RestPath String app) {
        return Policy.<Policy>list("app", Sort.by("id"), app)
                .map(policies -> policies.stream().map(PolicyView::of).toList());
    }
}

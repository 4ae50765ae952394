package io.berth.deploy.kubernetes;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The deploy service on the Kubernetes runtime with a namespace per team, against the mock API server. */
public class KubernetesTeamNamespacesProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KubernetesMockServerResource.class,
                Map.of("berth.kubernetes.namespace-per-team", "true", "berth.kubernetes.team-namespace-prefix", "berth-")));
    }
}

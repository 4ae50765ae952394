package io.berth.deploy.kubernetes;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;

/** The deploy service with the Kubernetes runtime selected, against the mock API server. */
public class KubernetesRuntimeProfile implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(KubernetesMockServerResource.class));
    }
}

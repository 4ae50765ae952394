package io.berth.deploy.kubernetes;

import static io.berth.common.testing.TestAuth.asAdmin;
import static io.berth.deploy.DeployApi.awaitJson;
import static io.berth.deploy.DeployApi.awaitRollout;
import static io.berth.deploy.DeployApi.newApp;
import static io.berth.deploy.DeployApi.release;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.KafkaEvents;
import io.berth.events.Topics;
import io.berth.events.instance.InstanceState;
import io.berth.events.instance.InstanceStateChanged;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With {@code berth.kubernetes.namespace-per-team}, each team's apps go into a namespace of their
 * own, {@code berth-<team>}, which Berth makes (labelled as its own, with the restricted Pod
 * Security Standard) and isolates with its NetworkPolicy before any pod runs there; a namespace of
 * that name that Berth did not make is left alone.
 */
@QuarkusTest
@TestProfile(KubernetesTeamNamespacesProfile.class)
class KubernetesTeamNamespacesTest {

    @Test
    void eachTeamsAppsRunInANamespaceOfTheirOwnThatOnlyTheGatewayReaches() throws Exception {
        String app = newApp("k8s"); // team-a
        String ns = "berth-team-a";
        try (SimulatedCluster cluster = new SimulatedCluster(ns)) {
            release(app, KubernetesRuntimeTest.shop("registry.example/shop:1.0", 2, 60));
            var deployment = cluster.awaitDeployment(app, d -> true);
            assertEquals(ns, deployment.getMetadata().getNamespace());
            assertEquals("team-a", deployment.getMetadata().getLabels().get("berth.io/team"));

            Namespace namespace = cluster.client.namespaces().withName(ns).get();
            assertNotNull(namespace, "Berth made the team's namespace");
            assertEquals("berth", namespace.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
            assertEquals("team-a", namespace.getMetadata().getLabels().get("berth.io/team"));
            assertEquals("restricted", namespace.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));

            NetworkPolicy policy = cluster.client.network().v1().networkPolicies().inNamespace(ns).withName("berth-apps").get();
            assertNotNull(policy, "the team's namespace is isolated");
            assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
            var from = policy.getSpec().getIngress().get(0).getFrom().get(0);
            assertEquals(Map.of("kubernetes.io/metadata.name", KubernetesMockServerResource.GATEWAY_NAMESPACE),
                    from.getNamespaceSelector().getMatchLabels());
            assertEquals("gateway", from.getPodSelector().getMatchLabels().get("app.kubernetes.io/component"));

            assertNotNull(cluster.client.services().inNamespace(ns).withName(app).get());
            assertNotNull(cluster.client.secrets().inNamespace(ns).withName(app + "-v1-env").get());
            assertNull(cluster.client.apps().deployments().inNamespace(KubernetesMockServerResource.NAMESPACE)
                    .withName(app).get(), "nothing in the shared namespace");
            assertEquals(10001L, deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser());

            // the rollout reads the team namespace's pods; the pod watch sees every namespace
            List<Pod> pods = cluster.startPods(deployment, 2);
            pods.forEach(p -> cluster.setReady(p, true));
            awaitRollout(app, 1, "COMPLETED", Duration.ofSeconds(15));
            asAdmin().get("/api/apps/" + app + "/instances").then().statusCode(200)
                    .body("size()", equalTo(2)).body("findAll { it.ready }.size()", equalTo(2));
            String first = pods.get(0).getMetadata().getName();
            assertTrue(KafkaEvents.await(Topics.INSTANCES, e -> e.data() instanceof InstanceStateChanged c
                    && c.instance().equals(first) && c.state() == InstanceState.READY, Duration.ofSeconds(20)).isPresent(),
                    "the pod watch publishes a team namespace's pods");

            // another team: another namespace, and its own policy
            String other = "k8s-" + UUID.randomUUID().toString().substring(0, 8);
            asAdmin().contentType(ContentType.JSON).body(Map.of("name", other, "team", "team-b")).post("/api/apps")
                    .then().statusCode(201);
            release(other, KubernetesRuntimeTest.shop("registry.example/shop:1.0", 1, 60));
            try (SimulatedCluster teamB = new SimulatedCluster("berth-team-b")) {
                assertEquals("berth-team-b", teamB.awaitDeployment(other, d -> true).getMetadata().getNamespace());
                assertNotNull(teamB.client.network().v1().networkPolicies().inNamespace("berth-team-b").withName("berth-apps").get());
                assertEquals("team-b", teamB.client.namespaces().withName("berth-team-b").get().getMetadata().getLabels()
                        .get("berth.io/team"));
            }

            // deleting the app removes its objects; the team's namespace and policy stay for its other apps
            asAdmin().delete("/api/apps/" + app).then().statusCode(202);
            awaitJson("/api/apps", j -> !j.getList("name").contains(app), Duration.ofSeconds(20));
            assertNull(cluster.client.apps().deployments().inNamespace(ns).withName(app).get());
            assertNull(cluster.client.services().inNamespace(ns).withName(app).get());
            assertTrue(cluster.client.secrets().inNamespace(ns).withLabel("berth.io/app", app).list().getItems().isEmpty());
            assertTrue(cluster.pods(app).isEmpty());
            assertNotNull(cluster.client.namespaces().withName(ns).get());
            assertNotNull(cluster.client.network().v1().networkPolicies().inNamespace(ns).withName("berth-apps").get());
        }
    }

    @Test
    void aNamespaceOfThatNameThatBerthDidNotMakeIsLeftAlone() throws Exception {
        String ns = "berth-team-x";
        try (SimulatedCluster cluster = new SimulatedCluster(ns)) {
            cluster.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns)
                    .withLabels(Map.of("owner", "someone-else")).endMetadata().build()).create();
            String app = "k8s-" + UUID.randomUUID().toString().substring(0, 8);
            asAdmin().contentType(ContentType.JSON).body(Map.of("name", app, "team", "team-x")).post("/api/apps")
                    .then().statusCode(201);
            release(app, KubernetesRuntimeTest.shop("registry.example/shop:1.0", 1, 60));
            awaitJson("/api/apps/" + app + "/rollouts/current", j -> "PROGRESSING".equals(j.getString("state")),
                    Duration.ofSeconds(10));
            Thread.sleep(3000); // three reconciles
            assertNull(cluster.client.apps().deployments().inNamespace(ns).withName(app).get(), "no app in someone else's namespace");
            assertNull(cluster.client.services().inNamespace(ns).withName(app).get());
            assertTrue(cluster.client.network().v1().networkPolicies().inNamespace(ns).list().getItems().isEmpty(),
                    "and no policy written into it");
            assertEquals(Map.of("owner", "someone-else"), cluster.client.namespaces().withName(ns).get().getMetadata().getLabels());
            asAdmin().delete("/api/apps/" + app).then().statusCode(202);
            awaitJson("/api/apps", j -> !j.getList("name").contains(app), Duration.ofSeconds(20));
        }
    }
}

package io.berth.registrar;

import static io.berth.common.testing.TestAuth.asAdmin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.common.testing.KafkaEvents;
import io.berth.events.Topics;
import io.berth.events.registration.InstanceDeregistered;
import io.berth.events.registration.InstanceRegistered;
import io.berth.registrar.dns.DnsZone;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/** Kubernetes mode end to end: a pod turning Ready on the (mock) API server lands in BIND and on Kafka. */
@QuarkusTest
@TestProfile(KubernetesRegistrationTest.KubernetesMode.class)
class KubernetesRegistrationTest {

    public static class KubernetesMode implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KubernetesMockServerResource.class));
        }
    }

    @Inject
    DnsZone dns;

    @Test
    void readyPodIsRegisteredWithItsPodIpAndDeregisteredWhenDeleted() throws Exception {
        String app = RegistrationTest.newApp();
        String name = app + "-3-pod1";
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl(ConfigProvider.getConfig().getValue("berth.kubernetes.master-url", String.class))
                .build()).build()) {
            var pods = client.pods().inNamespace(KubernetesMockServerResource.NAMESPACE);
            Pod pod = KubernetesPodSourceTest.pod(name, app);
            pod.getMetadata().setNamespace(KubernetesMockServerResource.NAMESPACE);
            pods.resource(pod).create();
            Thread.sleep(300);
            assertTrue(srv(app).isEmpty(), "running but not ready: not registered");

            Pod current = pods.withName(name).get();
            current.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True").build()));
            pods.resource(current).updateStatus();
            RegistrationTest.await("registered", () -> srv(app).size() == 1);
            assertEquals(8080, srv(app).get(0).getPort());
            assertEquals("10.1.2.3", ((ARecord) dns.query(dns.relative(name + "." + app), Type.A).get(0))
                    .getAddress().getHostAddress());
            assertEquals(new InstanceRegistered(app, name, 3, "10.1.2.3", 8080, 100), KafkaEvents.await(
                    Topics.REGISTRATIONS, e -> e.data() instanceof InstanceRegistered r && r.instance().equals(name),
                    Duration.ofSeconds(20)).orElseThrow().value().data());
            asAdmin().get("/api/registry/apps/" + app + "/instances").then().statusCode(200)
                    .body("[0].state", org.hamcrest.Matchers.is("READY"))
                    .body("[0].team", org.hamcrest.Matchers.is("team-k"))
                    .body("[0].registered", org.hamcrest.Matchers.is(true));

            pods.withName(name).delete();
            RegistrationTest.await("deregistered", () -> srv(app).isEmpty());
            assertTrue(KafkaEvents.await(Topics.REGISTRATIONS, e -> e.data() instanceof InstanceDeregistered d
                    && d.instance().equals(name), Duration.ofSeconds(20)).isPresent());
        }
    }

    List<SRVRecord> srv(String app) {
        try {
            return dns.query(dns.relative("_http._tcp." + app), Type.SRV).stream().map(r -> (SRVRecord) r).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

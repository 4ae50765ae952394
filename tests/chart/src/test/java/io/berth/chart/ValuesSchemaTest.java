package io.berth.chart;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** values.schema.json: Helm refuses a wrong type, an unknown key or a value out of range before rendering anything. */
class ValuesSchemaTest {

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource(delimiter = '|', textBlock = """
            colour                              | blue
            services.deploy.replicas            | two
            services.deploy.replicas            | 2
            services.registrar.replicas         | 2
            services.autoscaler.replicas        | 2
            services.gateway.replicas           | 3
            services.console.replicas           | -1
            services.billing.image.repository   | acme/billing
            services.deploy.colour              | blue
            kafka.bootstrapServers              | ''
            kafka.bootstrapServers              | kafka
            elasticsearch.url                   | elasticsearch:9200
            postgresql.port                     | 70000
            postgresql.port                     | fivefourthreetwo
            registry.dns.enabled                | maybe
            registry.dns.zone                   | berth.internal
            registry.dns.tsig.algorithm         | hmac-sha3
            apps.namespace                      | Berth_Apps
            apps.namespacePerTeam               | maybe
            apps.teamNamespacePrefix            | Berth_
            apps.teamNamespacePrefix            | ''
            apps.teamNamespacePrefix            | a-prefix-longer-than-22
            apps.networkPolicy.egressExcept     | kafka.data
            apps.networkPolicy.egressExcept[0]  | kafka.data
            apps.networkPolicy.egressExcept[0]  | 10.0.0.0
            apps.networkPolicy.colour           | blue
            platformSecrets.adminTokenSha256    | not-a-hash
            platformSecrets.secretsKeys         | k1:short
            gateway.service.type                | Ingress
            logCollector.startAt                | middle
            services.deploy.resources.limits.memory | lots
            """)
    void aBadValueIsRefused(String key, String value) {
        Exception refused = assertThrows(Exception.class, () -> Chart.template(Map.of(key, value)));
        assertTrue(refused.getMessage().contains("schema"), refused.getMessage());
    }

    @Test
    void goodValuesPass() {
        assertDoesNotThrow(() -> Chart.template(Map.of("services.console.replicas", "3", "services.identity.replicas", "2",
                "kafka.bootstrapServers", "kafka-0.kafka:9092,kafka-1.kafka:9092", "registry.dns.enabled", "false",
                "registry.consul.enabled", "true", "registry.consul.aclToken", "t", "gateway.service.type", "ClusterIP",
                "apps.namespace", "team-apps")));
        assertDoesNotThrow(() -> Chart.template(Map.of("apps.namespacePerTeam", "true", "apps.teamNamespacePrefix", "acme-",
                "apps.networkPolicy.egressExcept[0]", "10.42.0.0/16", "apps.networkPolicy.egressExcept[1]", "fd00::/8")));
    }
}

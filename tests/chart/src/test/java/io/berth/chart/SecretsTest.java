package io.berth.chart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.registrar.dns.TsigKeyFile;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.TSIG;

/** The platform's credentials: generated when not given, taken from values or an existing Secret, kept across upgrades. */
class SecretsTest {

    @Test
    void missingCredentialsAreGenerated() throws Exception {
        Chart.Rendering chart = Chart.render();
        String adminToken = chart.get(Secret.class, "berth-admin-token").getStringData().get("token");
        assertTrue(adminToken.matches("berth_[A-Za-z0-9]{43}"), adminToken);
        Map<String, String> data = chart.get(Secret.class, "berth").getStringData();
        assertEquals(sha256(adminToken), data.get("admin-token-sha256"), "the services get only the admin token's hash");
        assertTrue(data.get("service-token").length() >= 48);
        String key = data.get("secrets-keys");
        assertTrue(key.startsWith("k1:"), key);
        assertEquals(32, Base64.getDecoder().decode(key.substring(3)).length, "an AES-256 key");
        assertFalse(data.get("postgres-password").isBlank());
        assertEquals(32, Base64.getDecoder().decode(data.get("tsig-secret")).length);

        // every service gets the hash and the service token from that Secret, never the admin token itself
        for (ServiceCatalog service : ServiceCatalog.ALL) {
            Container c = RenderedObjectsTest.container(RenderedObjectsTest.podOf(chart, service.component()), service.component());
            assertEquals("admin-token-sha256", secretRef(c, "BERTH_AUTH_ADMIN_TOKEN_SHA256").getKey());
            assertEquals("berth", secretRef(c, "BERTH_AUTH_SERVICE_TOKEN").getName());
            assertTrue(c.getEnv().stream().allMatch(e -> e.getValue() == null), service.component() + ": secrets by reference only");
        }
        assertEquals("postgres-password", secretRef(container(chart, "deploy"), "BERTH_POSTGRES_PASSWORD").getKey());
        assertEquals("secrets-keys", secretRef(container(chart, "deploy"), "BERTH_SECRETS_KEYS").getKey());
    }

    @Test
    void theTsigKeyIsAKeyFileTheRegistrarReads(@TempDir Path dir) throws Exception {
        Chart.Rendering chart = Chart.render(Map.of("registry.dns.tsig.secret", "c2VjcmV0LWtleS1mb3ItdGhlLXRlc3Q="));
        Secret secret = chart.get(Secret.class, "berth");
        Path file = dir.resolve("tsig.key");
        Files.writeString(file, secret.getStringData().get("tsig.key"));
        TSIG tsig = TsigKeyFile.read(file);
        Message update = new Message();
        tsig.apply(update, null);
        assertEquals("berth-registrar.", update.getTSIG().getName().toString());
        assertEquals(TSIG.HMAC_SHA256, update.getTSIG().getAlgorithm());

        PodSpec pod = RenderedObjectsTest.podOf(chart, "registrar");
        String keyFile = RenderedObjectsTest.config(chart, "registrar").get("BERTH_DNS_TSIG_KEY_FILE");
        var mount = container(chart, "registrar").getVolumeMounts().stream()
                .filter(m -> keyFile.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        assertEquals("berth", volume.getSecret().getSecretName());
        assertEquals("tsig.key", volume.getSecret().getItems().get(0).getKey());
        assertEquals(Path.of(keyFile).getFileName().toString(), volume.getSecret().getItems().get(0).getPath());
    }

    @Test
    void givenValuesAreUsedAsTheyAre() {
        String hash = "a".repeat(64);
        String keys = "k2:" + Base64.getEncoder().encodeToString(new byte[32]);
        Chart.Rendering chart = Chart.render(Map.of("platformSecrets.adminTokenSha256", hash,
                "platformSecrets.serviceToken", "given-service-token", "platformSecrets.secretsKeys", keys,
                "postgresql.password", "given-password"));
        assertTrue(chart.find(Secret.class, "berth-admin-token").isEmpty(), "no admin token is generated when its hash is given");
        Map<String, String> data = chart.get(Secret.class, "berth").getStringData();
        assertEquals(hash, data.get("admin-token-sha256"));
        assertEquals("given-service-token", data.get("service-token"));
        assertEquals(keys, data.get("secrets-keys"));
        assertEquals("given-password", data.get("postgres-password"));
    }

    @Test
    void existingSecretsReplaceTheChartsOwn() {
        Chart.Rendering chart = Chart.render(Map.of("platformSecrets.existingSecret", "ops-berth",
                "postgresql.existingSecret", "ops-postgres", "postgresql.passwordKey", "berth-password",
                "registry.dns.tsig.existingSecret", "ops-dns", "registry.dns.tsig.key", "berth.key"));
        assertTrue(chart.all(Secret.class).isEmpty(), "the chart makes no Secret of its own");
        Container deploy = container(chart, "deploy");
        assertEquals("ops-berth", secretRef(deploy, "BERTH_AUTH_ADMIN_TOKEN_SHA256").getName());
        assertEquals("ops-berth", secretRef(deploy, "BERTH_SECRETS_KEYS").getName());
        assertEquals("ops-postgres", secretRef(deploy, "BERTH_POSTGRES_PASSWORD").getName());
        assertEquals("berth-password", secretRef(deploy, "BERTH_POSTGRES_PASSWORD").getKey());
        Volume tsig = RenderedObjectsTest.podOf(chart, "registrar").getVolumes().stream()
                .filter(v -> v.getSecret() != null).findFirst().orElseThrow();
        assertEquals("ops-dns", tsig.getSecret().getSecretName());
        assertEquals("berth.key", tsig.getSecret().getItems().get(0).getKey());
    }

    @Test
    void anUpgradeKeepsTheCredentialsItGeneratedBefore() throws Exception {
        ApiServer cluster = Chart.lookupCluster();
        try (KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty()).withMasterUrl(cluster.url()).build()).build()) {
            client.secrets().inNamespace(Chart.NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("berth-admin-token")
                    .endMetadata().addToData("token", base64("berth_token-from-the-first-install")).build()).create();
            client.secrets().inNamespace(Chart.NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("berth")
                    .endMetadata().addToData("service-token", base64("service-token-from-the-first-install"))
                    .addToData("secrets-keys", base64("k1:key-from-the-first-install")).build()).create();
            try {
                Chart.Rendering upgrade = Chart.render();
                assertEquals("berth_token-from-the-first-install",
                        upgrade.get(Secret.class, "berth-admin-token").getStringData().get("token"));
                Map<String, String> data = upgrade.get(Secret.class, "berth").getStringData();
                assertEquals(sha256("berth_token-from-the-first-install"), data.get("admin-token-sha256"));
                assertEquals("service-token-from-the-first-install", data.get("service-token"));
                assertEquals("k1:key-from-the-first-install", data.get("secrets-keys"));
            } finally {
                client.secrets().inNamespace(Chart.NAMESPACE).withName("berth-admin-token").delete();
                client.secrets().inNamespace(Chart.NAMESPACE).withName("berth").delete();
            }
        }
    }

    private static Container container(Chart.Rendering chart, String component) {
        return RenderedObjectsTest.container(RenderedObjectsTest.podOf(chart, component), component);
    }

    private static io.fabric8.kubernetes.api.model.SecretKeySelector secretRef(Container c, String env) {
        EnvVar var = c.getEnv().stream().filter(e -> e.getName().equals(env)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + env));
        return var.getValueFrom().getSecretKeyRef();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}

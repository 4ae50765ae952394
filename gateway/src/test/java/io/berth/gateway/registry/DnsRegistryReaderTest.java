package io.berth.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.gateway.model.AppPool;
import io.berth.gateway.model.Member;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Against the BIND that bin/berth-dev runs (zone berth.internal on 127.0.0.1:5353): records are
 * written the way the registrar writes them (TSIG-signed RFC 2136, here with nsupdate) and read back.
 */
class DnsRegistryReaderTest {
    private static final String ZONE = "berth.internal.";

    private static Path keyFile() {
        String env = System.getenv("BERTH_DNS_TSIG_KEY_FILE");
        return Path.of(env != null ? env : "/var/lib/berth/run/dns/berth-registrar.key");
    }

    private static void nsupdate(String commands) throws Exception {
        Process p = new ProcessBuilder("nsupdate", "-k", keyFile().toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(("server 127.0.0.1 5353\nzone " + ZONE + "\n" + commands + "send\n")
                .getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "nsupdate: " + out);
    }

    @Test
    void readsEachAppsSrvRecordsAndTheirAddresses() throws Exception {
        assertTrue(Files.exists(keyFile()), "no TSIG key at " + keyFile() + " (bin/berth-dev infra-up writes it)");
        String app = "g" + UUID.randomUUID().toString().substring(0, 8);
        String records = "update add i1." + app + "." + ZONE + " 5 A 127.0.0.1\n"
                + "update add i2." + app + "." + ZONE + " 5 A 127.0.0.1\n"
                + "update add _http._tcp." + app + "." + ZONE + " 5 SRV 0 10 20001 i1." + app + "." + ZONE + "\n"
                + "update add _http._tcp." + app + "." + ZONE + " 5 SRV 0 0 20002 i2." + app + "." + ZONE + "\n";
        nsupdate(records);
        try {
            DnsRegistryReader reader = new DnsRegistryReader("127.0.0.1", 5353, ZONE, Duration.ofSeconds(2));
            Map<String, AppPool> pools = reader.read(List.of(app));
            AppPool pool = pools.get(app);
            assertEquals(Set.of("i1", "i2"), pool.members().keySet());
            assertEquals(new Member("i1", 0, "127.0.0.1", 20001, 10), pool.members().get("i1"));
            // the registrar writes the weight it means: 0 is a server that takes no new traffic
            assertEquals(0, pool.members().get("i2").weight());
        } finally {
            nsupdate("update delete _http._tcp." + app + "." + ZONE + " SRV\n"
                    + "update delete i1." + app + "." + ZONE + " A\n"
                    + "update delete i2." + app + "." + ZONE + " A\n");
        }
    }

    @Test
    void anAppWithoutRecordsHasNoInstances() throws Exception {
        DnsRegistryReader reader = new DnsRegistryReader("127.0.0.1", 5353, ZONE, Duration.ofSeconds(2));
        assertTrue(reader.read(List.of("nosuchapp")).get("nosuchapp").members().isEmpty());
    }
}

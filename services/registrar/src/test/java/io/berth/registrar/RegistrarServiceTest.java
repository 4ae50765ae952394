package io.berth.registrar;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.registrar.dns.DnsZone;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/** Against the BIND server that bin/berth-dev runs, with the TSIG key it generated. */
@QuarkusTest
class RegistrarServiceTest {

    @Inject
    DnsZone dns;

    @Test
    void readinessAsksTheDnsServerKafkaAndTheRuntime() throws InterruptedException {
        for (int i = 0; i < 100 && given().get("/q/health/ready").statusCode() != 200; i++) {
            Thread.sleep(50); // the runtime's first list arrives just after the start
        }
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'DNS registry zone' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Runtime instances synced' }.status", equalTo("UP"));
    }

    @Test
    void signedUpdateAddsAndRemovesARecordOnTheRealServer() throws IOException {
        Name name = dns.relative("smoke-" + UUID.randomUUID().toString().substring(0, 8));
        Update add = dns.newUpdate();
        add.add(new ARecord(name, DClass.IN, 5, InetAddress.getByName("127.0.0.7")));
        dns.apply(add);
        var records = dns.query(name, Type.A);
        assertEquals(1, records.size());
        assertEquals("127.0.0.7", ((ARecord) records.get(0)).getAddress().getHostAddress());

        Update remove = dns.newUpdate();
        remove.delete(name, Type.A);
        dns.apply(remove);
        assertTrue(dns.query(name, Type.A).isEmpty());
    }

    @Test
    void unsignedUpdateIsRefusedByTheServer() throws IOException {
        Update unsigned = dns.newUpdate();
        unsigned.add(new ARecord(dns.relative("intruder"), DClass.IN, 5, InetAddress.getByName("127.0.0.8")));
        var resolver = new SimpleResolver(new java.net.InetSocketAddress(
                org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("berth.dns.server", String.class),
                org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("berth.dns.port", Integer.class)));
        Message response = resolver.send(unsigned);
        assertEquals(Rcode.REFUSED, response.getRcode());
        assertTrue(dns.query(dns.relative("intruder"), Type.A).isEmpty());
    }

    @Test
    void namesOutsideTheZoneAreNotAnswered() {
        assertThrows(IOException.class, () -> dns.query(Name.fromString("elsewhere.example."), Type.A));
    }

    @Test
    void everyEndpointButHealthRefusesACallWithoutTheToken() {
        io.berth.common.testing.EveryEndpoint.requiresAToken();
    }
}

package io.berth.registrar.dns;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * The registry zone on its primary server: reads go straight to it (never through a cache) and
 * changes are TSIG-signed RFC 2136 updates. This is the DNS backend's only door to the server.
 */
@ApplicationScoped
public class DnsZone {
    private final Name zone;
    private final SimpleResolver resolver;
    private final Path keyFile;
    private volatile TSIG tsig;

    public DnsZone(@ConfigProperty(name = "berth.dns.server") String server,
            @ConfigProperty(name = "berth.dns.port") int port,
            @ConfigProperty(name = "berth.dns.zone") String zone,
            @ConfigProperty(name = "berth.dns.tsig-key-file") Path keyFile,
            @ConfigProperty(name = "berth.dns.timeout") Duration timeout) throws IOException {
        this.zone = Name.fromString(zone.endsWith(".") ? zone : zone + ".");
        this.resolver = new SimpleResolver(new InetSocketAddress(server, port));
        this.resolver.setTimeout(timeout);
        this.keyFile = keyFile;
    }

    public Name zone() {
        return zone;
    }

    /** A name inside the zone: {@code relative("shop")} is {@code shop.<zone>}. */
    public Name relative(String label) throws IOException {
        return Name.concatenate(Name.fromString(label), zone);
    }

    /** The records of {@code name} and {@code type} as the primary server has them now. */
    public List<Record> query(Name name, int type) throws IOException {
        Message response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            throw new IOException("DNS query " + name + " " + Type.string(type) + " failed: " + Rcode.string(rcode));
        }
        return response.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
    }

    /** The zone's SOA serial: proof the server is up and authoritative for the zone. */
    public long serial() throws IOException {
        return query(zone, Type.SOA).stream()
                .map(r -> ((org.xbill.DNS.SOARecord) r).getSerial())
                .findFirst()
                .orElseThrow(() -> new IOException("server is not authoritative for " + zone));
    }

    /** Sends a signed update; an update that is refused (bad key, not allowed) is an exception. */
    public void apply(Update update) throws IOException {
        Message request = update;
        request.setTSIG(tsig(), Rcode.NOERROR, null);
        Message response = resolver.send(request);
        if (response.getRcode() != Rcode.NOERROR) {
            throw new IOException("DNS update of " + zone + " refused: " + Rcode.string(response.getRcode()));
        }
    }

    public Update newUpdate() {
        return new Update(zone);
    }

    private TSIG tsig() throws IOException {
        if (tsig == null) {
            tsig = TsigKeyFile.read(keyFile);
        }
        return tsig;
    }
}

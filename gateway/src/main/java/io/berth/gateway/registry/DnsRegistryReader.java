package io.berth.gateway.registry;

import io.berth.gateway.model.AppPool;
import io.berth.gateway.model.Member;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Reads the registry from DNS, straight from the zone's server (never a cache): each app's
 * {@code _http._tcp.<app>.<zone>} SRV records, their targets' A records. The zone cannot be listed
 * (no transfer), so the apps read are those the gateway knows plus any that a DNS-SD browse record
 * ({@code _http._tcp.<zone>} PTR, RFC 6763) names.
 *
 * <p>The instance id is the target's first label when the target is {@code <instance>.<app>.<zone>},
 * else {@code <ip>-<port>}. An SRV weight becomes the server weight as it is: the registrar writes the weight it means, 0 included.
 */
@ApplicationScoped
public class DnsRegistryReader implements RegistryReader {
    private final Name zone;
    private final SimpleResolver resolver;
    private final String describe;

    DnsRegistryReader(@ConfigProperty(name = "berth.dns.server") String server,
            @ConfigProperty(name = "berth.dns.port") int port,
            @ConfigProperty(name = "berth.dns.zone") String zone,
            @ConfigProperty(name = "berth.dns.timeout", defaultValue = "2s") Duration timeout) throws IOException {
        this.zone = Name.fromString(zone.endsWith(".") ? zone : zone + ".");
        this.resolver = new SimpleResolver(new InetSocketAddress(server, port));
        this.resolver.setTimeout(timeout);
        this.describe = "DNS SRV _http._tcp.<app>." + this.zone + " at " + server + ":" + port;
    }

    @Override
    public Map<String, AppPool> read(Collection<String> knownApps) throws IOException {
        Set<String> apps = new TreeSet<>(knownApps);
        apps.addAll(browse());
        Map<String, AppPool> pools = new TreeMap<>();
        for (String app : apps) {
            pools.put(app, pool(app));
        }
        return pools;
    }

    private AppPool pool(String app) throws IOException {
        Name service = Name.fromString("_http._tcp." + app, zone);
        Name appName = Name.fromString(app, zone);
        Map<String, Member> members = new TreeMap<>();
        for (Record r : query(service, Type.SRV)) {
            SRVRecord srv = (SRVRecord) r;
            Optional<String> ip = address(srv.getTarget());
            if (ip.isEmpty()) {
                continue;
            }
            String id = srv.getTarget().subdomain(appName) && srv.getTarget().labels() > appName.labels()
                    ? srv.getTarget().getLabelString(0)
                    : ip.get().replace(':', '_') + "-" + srv.getPort();
            int weight = srv.getWeight();
            members.put(id, new Member(id, 0, ip.get(), srv.getPort(), weight));
        }
        return new AppPool(app, Optional.empty(), members);
    }

    private Optional<String> address(Name target) throws IOException {
        return query(target, Type.A).stream().map(r -> ((ARecord) r).getAddress().getHostAddress()).findFirst();
    }

    /** App names from a DNS-SD browse record, if the registrar keeps one. */
    private Set<String> browse() throws IOException {
        Set<String> apps = new TreeSet<>();
        for (Record r : query(Name.fromString("_http._tcp", zone), Type.PTR)) {
            Name target = ((PTRRecord) r).getTarget();
            if (!target.subdomain(zone)) {
                continue;
            }
            Name relative = target.relativize(zone);
            String[] labels = relative.toString(true).split("\\.");
            for (String label : labels) {
                if (!label.startsWith("_") && !label.isBlank()) {
                    apps.add(label);
                }
            }
        }
        return apps;
    }

    private List<Record> query(Name name, int type) throws IOException {
        Message response = resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            throw new IOException("DNS query " + name + " " + Type.string(type) + " failed: " + Rcode.string(rcode));
        }
        return response.getSection(Section.ANSWER).stream().filter(r -> r.getType() == type).toList();
    }

    @Override
    public String describe() {
        return describe;
    }
}

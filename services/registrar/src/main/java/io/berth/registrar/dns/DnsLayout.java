package io.berth.registrar.dns;

import io.berth.registrar.registry.Registration;
import io.berth.registrar.registry.RegistryEntry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Address;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Where registrations live in the zone (all pure; see README "DNS layout"). For app {@code shop}
 * with instance {@code shop-3-ab12c} on 127.0.0.1:20001, in zone {@code berth.internal.}:
 * <pre>
 * shop.berth.internal.                 A    127.0.0.1      one per distinct host of a ready instance
 * shop-3-ab12c.shop.berth.internal.    A    127.0.0.1      one per ready instance
 * _http._tcp.shop.berth.internal.      SRV  0 100 20001 shop-3-ab12c.shop.berth.internal.
 * _http._tcp.berth.internal.           PTR  _http._tcp.shop.berth.internal.   DNS-SD browse (RFC 6763)
 * berth._registrar.berth.internal.     TXT  "shop"         the owner's index of its apps
 * </pre>
 * The SRV record carries the port (every agent instance shares 127.0.0.1) and the weight; its
 * target is the instance's own name, so each record says which instance it is for. The index
 * lets a restarted registrar find an app whose instances are all gone without a zone transfer,
 * and keeps two registrars (different owners) on one zone from removing each other's apps. The
 * browse PTR lets any DNS client (the gateway's DNS reader) enumerate the apps.
 */
public final class DnsLayout {
    private final Name zone;
    private final Name index;
    private final long ttl;

    public DnsLayout(Name zone, String owner, long ttl) {
        this.zone = zone;
        this.ttl = ttl;
        this.index = name(owner + "._registrar", zone);
    }

    public Name zone() {
        return zone;
    }

    public Name index() {
        return index;
    }

    public Name appName(String app) {
        return name(app, zone);
    }

    public Name srvName(String app) {
        return name("_http._tcp." + app, zone);
    }

    /** The DNS-SD browse name: one PTR per app with registered instances. */
    public Name browseName() {
        return name("_http._tcp", zone);
    }

    public Name instanceName(String app, String instance) {
        return name(instance + "." + app, zone);
    }

    /** The records that registering exactly {@code registrations} of {@code app} takes. */
    public List<Record> records(String app, List<Registration> registrations) {
        Set<Record> records = new LinkedHashSet<>();
        for (Registration r : registrations) {
            InetAddress address = literal(r.host());
            Name target;
            if (address != null) {
                target = instanceName(app, r.instance());
                records.add(address(appName(app), address));
                records.add(address(target, address));
            } else {
                target = name(r.host().endsWith(".") ? r.host() : r.host() + ".", Name.root);
            }
            records.add(new SRVRecord(srvName(app), DClass.IN, ttl, 0, r.weight(), r.port(), target));
        }
        if (!registrations.isEmpty()) {
            records.add(new PTRRecord(browseName(), DClass.IN, ttl, srvName(app)));
            records.add(new TXTRecord(index, DClass.IN, ttl, app));
        }
        return new ArrayList<>(records);
    }

    /** A record of the zone as a comparable entry, with the instance it belongs to. */
    public RegistryEntry entry(String app, Record record) {
        return new RegistryEntry(app, instanceOf(app, record), record.getName() + " " + Type.string(record.getType()),
                record.rdataToString());
    }

    /** The record an entry stands for, with the configured TTL. */
    public Record record(RegistryEntry entry) throws IOException {
        int space = entry.key().lastIndexOf(' ');
        Name name = Name.fromString(entry.key().substring(0, space));
        int type = Type.value(entry.key().substring(space + 1));
        return Record.fromString(name, type, DClass.IN, ttl, entry.value(), Name.root);
    }

    private String instanceOf(String app, Record record) {
        Name owner = record.getName();
        Name appName = appName(app);
        if (record instanceof SRVRecord srv) {
            Name target = srv.getTarget();
            return target.subdomain(appName) && target.labels() == appName.labels() + 1 ? target.getLabelString(0)
                    : null;
        }
        if (owner.subdomain(appName) && owner.labels() == appName.labels() + 1) {
            return owner.getLabelString(0);
        }
        return null;
    }

    private Record address(Name name, InetAddress address) {
        return address.getAddress().length == 4 ? new ARecord(name, DClass.IN, ttl, address)
                : new AAAARecord(name, DClass.IN, ttl, address);
    }

    /** The address if {@code host} is an IP literal; null for a host name (never resolved here). */
    static InetAddress literal(String host) {
        try {
            return Address.getByAddress(host);
        } catch (UnknownHostException notALiteral) {
            return null;
        }
    }

    private static Name name(String relative, Name origin) {
        try {
            return Name.fromString(relative, origin);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + relative, e);
        }
    }
}

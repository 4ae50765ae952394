package io.berth.registrar.dns;

import io.berth.registrar.registry.EntryDiff;
import io.berth.registrar.registry.Registration;
import io.berth.registrar.registry.RegistryBackend;
import io.berth.registrar.registry.RegistryEntry;
import io.berth.registrar.registry.RegistryException;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * The DNS backend: the layout of {@link DnsLayout} in the zone of {@link DnsZone}. Every change of
 * an app is one TSIG-signed RFC 2136 update, which the server applies atomically; adding a record
 * that exists or deleting one that does not changes nothing, so a repeated write is harmless.
 */
public final class DnsRegistry implements RegistryBackend {
    private final DnsZone dns;
    private final DnsLayout layout;

    public DnsRegistry(DnsZone dns, DnsLayout layout) {
        this.dns = dns;
        this.layout = layout;
    }

    @Override
    public String name() {
        return "dns";
    }

    @Override
    public Set<RegistryEntry> entriesOf(String app, List<Registration> registrations) {
        return layout.records(app, registrations).stream().map(r -> layout.entry(app, r))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public Set<RegistryEntry> read(String app, Set<String> knownInstances) throws RegistryException {
        try {
            Set<Record> records = new LinkedHashSet<>();
            records.addAll(addresses(layout.appName(app)));
            List<Record> srv = dns.query(layout.srvName(app), Type.SRV);
            records.addAll(srv);
            Set<String> instances = new TreeSet<>(knownInstances);
            for (Record r : srv) {
                String instance = layout.entry(app, r).instance();
                if (instance != null) {
                    instances.add(instance);
                }
            }
            for (String instance : instances) {
                records.addAll(addresses(layout.instanceName(app, instance)));
            }
            for (Record r : dns.query(layout.browseName(), Type.PTR)) {
                if (((PTRRecord) r).getTarget().equals(layout.srvName(app))) {
                    records.add(r);
                }
            }
            for (Record r : dns.query(layout.index(), Type.TXT)) {
                if (((TXTRecord) r).getStrings().contains(app)) {
                    records.add(r);
                }
            }
            return records.stream().map(r -> layout.entry(app, r))
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        } catch (IOException e) {
            throw new RegistryException("cannot read " + app + " from DNS zone " + layout.zone() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Set<String> apps() throws RegistryException {
        try {
            return dns.query(layout.index(), Type.TXT).stream()
                    .flatMap(r -> ((TXTRecord) r).getStrings().stream())
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new RegistryException("cannot read the app index " + layout.index() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void write(String app, List<Registration> desired, EntryDiff diff) throws RegistryException {
        if (diff.isEmpty()) {
            return;
        }
        try {
            Update update = dns.newUpdate();
            for (RegistryEntry entry : diff.remove()) {
                update.delete(layout.record(entry));
            }
            for (RegistryEntry entry : diff.add()) {
                update.add(layout.record(entry));
            }
            dns.apply(update);
        } catch (IOException e) {
            throw new RegistryException("DNS update of " + app + " failed: " + e.getMessage(), e);
        }
    }

    private List<Record> addresses(Name name) throws IOException {
        List<Record> all = new java.util.ArrayList<>(dns.query(name, Type.A));
        all.addAll(dns.query(name, Type.AAAA));
        return all;
    }
}

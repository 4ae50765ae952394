package io.berth.registrar.consul;

import io.berth.registrar.registry.EntryDiff;
import io.berth.registrar.registry.Registration;
import io.berth.registrar.registry.RegistryBackend;
import io.berth.registrar.registry.RegistryEntry;
import io.berth.registrar.registry.RegistryException;
import io.vertx.core.Future;
import io.vertx.ext.consul.CheckOptions;
import io.vertx.ext.consul.ConsulClient;
import io.vertx.ext.consul.Service;
import io.vertx.ext.consul.ServiceOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Consul backend, through the local Consul agent's HTTP API: one Consul service per app, one
 * service instance per registration (ID = instance id), tagged {@code berth} (what this registrar
 * owns), {@code release=N}, {@code team=T} and {@code weight=W}, with a TCP check of its address.
 * Registering is a PUT of the whole instance, so a repeated write is harmless.
 */
public final class ConsulRegistry implements RegistryBackend {
    static final String OWNER_TAG = "berth";

    private final ConsulClient consul;
    private final String checkInterval;
    private final Duration timeout;

    public ConsulRegistry(ConsulClient consul, Duration checkInterval, Duration timeout) {
        this.consul = consul;
        this.checkInterval = checkInterval.toMillis() + "ms";
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "consul";
    }

    @Override
    public Set<RegistryEntry> entriesOf(String app, List<Registration> registrations) {
        return registrations.stream()
                .map(r -> entry(app, r.instance(), r.host(), r.port(), tags(r)))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public Set<RegistryEntry> read(String app, Set<String> knownInstances) throws RegistryException {
        return ours().stream().filter(s -> app.equals(s.getName()))
                .map(s -> entry(app, s.getId(), s.getAddress(), s.getPort(), s.getTags()))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public Set<String> apps() throws RegistryException {
        return ours().stream().map(Service::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    @Override
    public void write(String app, List<Registration> desired, EntryDiff diff) throws RegistryException {
        Set<String> adding = diff.add().stream().map(RegistryEntry::instance).collect(Collectors.toSet());
        for (RegistryEntry gone : diff.remove()) {
            if (!adding.contains(gone.instance())) {
                await(consul.deregisterService(gone.instance()), "deregister " + gone.instance());
            }
        }
        for (Registration r : desired) {
            if (adding.contains(r.instance())) {
                await(consul.registerService(options(r)), "register " + r.instance());
            }
        }
    }

    ServiceOptions options(Registration r) {
        return new ServiceOptions()
                .setId(r.instance())
                .setName(r.app())
                .setAddress(r.host())
                .setPort(r.port())
                .setTags(tags(r))
                .setMeta(Map.of("release", Integer.toString(r.release()), "team", r.team()))
                .setCheckOptions(new CheckOptions()
                        .setName("berth: TCP " + r.host() + ":" + r.port())
                        .setTcp(r.host() + ":" + r.port())
                        .setInterval(checkInterval));
    }

    private List<Service> ours() throws RegistryException {
        List<Service> services = await(consul.localServices(), "list services");
        List<Service> ours = new ArrayList<>();
        for (Service s : services) {
            if (s.getTags() != null && s.getTags().contains(OWNER_TAG)) {
                ours.add(s);
            }
        }
        return ours;
    }

    static List<String> tags(Registration r) {
        return List.of(OWNER_TAG, "release=" + r.release(), "team=" + r.team(), "weight=" + r.weight());
    }

    /** One comparable entry per service instance: address, port and sorted tags. */
    static RegistryEntry entry(String app, String id, String host, int port, List<String> tags) {
        List<String> sorted = new ArrayList<>(tags == null ? List.of() : tags);
        sorted.sort(null);
        return new RegistryEntry(app, id, "service " + app + "/" + id, host + ":" + port + " " + String.join(",", sorted));
    }

    private <T> T await(Future<T> future, String what) throws RegistryException {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("Consul: " + what + " interrupted", e);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new RegistryException("Consul: " + what + " failed: " + cause.getMessage(), cause);
        }
    }
}

package io.berth.gateway.registry;

import io.berth.gateway.GatewaySettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** Picks the registry the reconcile reads back, by {@code berth.gateway.registry}. */
@ApplicationScoped
public class RegistryReaderSelection {

    @Produces
    @Singleton
    @Named("selected")
    RegistryReader selected(GatewaySettings settings, Instance<RegistrarRegistryReader> registrar,
            Instance<DnsRegistryReader> dns) {
        return switch (settings.registry()) {
            case "registrar" -> registrar.get();
            case "dns" -> dns.get();
            default -> throw new IllegalArgumentException(
                    "berth.gateway.registry must be 'registrar' or 'dns', not '" + settings.registry() + "'");
        };
    }
}

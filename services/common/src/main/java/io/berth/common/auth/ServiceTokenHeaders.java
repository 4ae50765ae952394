package io.berth.common.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/** Adds the service token to a REST client's calls to another Berth service. */
@ApplicationScoped
public class ServiceTokenHeaders implements ClientHeadersFactory {
    private final Optional<String> token;

    ServiceTokenHeaders(@ConfigProperty(name = "berth.auth.service-token") Optional<String> token) {
        this.token = token;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        token.ifPresent(t -> headers.add("Authorization", "Bearer " + t));
        return headers;
    }
}

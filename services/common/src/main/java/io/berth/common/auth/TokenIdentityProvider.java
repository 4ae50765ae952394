package io.berth.common.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Accepts the platform's admin token and the services' own token. Only the admin token's SHA-256
 * is configured, so that token is in no configuration, environment or log; the service token is
 * given to the services (they present it to each other) and is hashed here the same way.
 * Comparisons are constant-time. Teams and their tokens come later as further identity providers.
 */
@ApplicationScoped
public class AdminTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";

    private final Optional<byte[]> adminHash;
    private final Optional<byte[]> serviceHash;

    public AdminTokenIdentityProvider(
            @ConfigProperty(name = "berth.auth.admin-token-sha256") Optional<String> adminTokenSha256,
            @ConfigProperty(name = "berth.auth.service-token") Optional<String> serviceToken) {
        this.adminHash = adminTokenSha256.filter(h -> !h.isBlank()).map(h -> HexFormat.of().parseHex(h.trim()));
        this.serviceHash = serviceToken.filter(t -> !t.isBlank()).map(TokenHash::sha256);
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        byte[] presented = TokenHash.sha256(request.getToken().getToken());
        if (adminHash.isPresent() && MessageDigest.isEqual(adminHash.get(), presented)) {
            return identity(ADMIN);
        }
        if (serviceHash.isPresent() && MessageDigest.isEqual(serviceHash.get(), presented)) {
            return identity(SERVICE);
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("invalid token"));
    }

    private static Uni<SecurityIdentity> identity(String name) {
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(name))
                .addRole(name)
                .build());
    }
}

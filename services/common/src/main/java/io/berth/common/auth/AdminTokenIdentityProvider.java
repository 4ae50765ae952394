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
 * Accepts the platform's admin token. Only its SHA-256 is configured, so the token itself is in no
 * configuration, environment or log; comparison is constant-time. Teams and their tokens come later
 * and plug in as further identity providers.
 */
@ApplicationScoped
public class AdminTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    public static final String ADMIN = "admin";

    private final Optional<byte[]> expectedHash;

    public AdminTokenIdentityProvider(
            @ConfigProperty(name = "berth.auth.admin-token-sha256") Optional<String> adminTokenSha256) {
        this.expectedHash = adminTokenSha256.filter(h -> !h.isBlank()).map(h -> HexFormat.of().parseHex(h.trim()));
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        if (expectedHash.isPresent() && MessageDigest.isEqual(expectedHash.get(), TokenHash.sha256(token))) {
            return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(ADMIN))
                    .addRole(ADMIN)
                    .build());
        }
        return Uni.createFrom().failure(new AuthenticationFailedException("invalid token"));
    }
}

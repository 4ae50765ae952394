package io.berth.common.auth;

import io.berth.common.directory.TokenDirectory;
import io.berth.events.directory.TokenEntry;
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
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns a bearer token into a {@link Caller}, kept on the identity under {@link Caller#ATTRIBUTE}:
 * <ul>
 * <li>the platform's bootstrap admin token, of which only the SHA-256 is configured (decision 2):
 *     principal and role {@code admin};</li>
 * <li>the services' own token, hashed here the same way: principal and role {@code service};</li>
 * <li>a member's API token, found by its SHA-256 in the {@link TokenDirectory} (decision 6) and
 *     not expired at the time of the call: principal = the user, role {@code member} (or
 *     {@code admin} for a platform admin).</li>
 * <li>a JWT of the external OIDC provider, when one is configured ({@link OidcTokens}).</li>
 * </ul>
 * A revoked token is gone from the directory, so it is as unknown as a wrong one: 401. The two
 * configured hashes are compared in constant time; a member token is looked up by its hash, which
 * tells a timing observer nothing about any token.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";
    public static final String MEMBER = "member";

    private final Optional<byte[]> adminHash;
    private final Optional<byte[]> serviceHash;
    private final TokenDirectory directory;
    private final OidcTokens oidc;
    private final Clock clock;

    TokenIdentityProvider(
            @ConfigProperty(name = "berth.auth.admin-token-sha256") Optional<String> adminTokenSha256,
            @ConfigProperty(name = "berth.auth.service-token") Optional<String> serviceToken,
            TokenDirectory directory, OidcTokens oidc) {
        this.adminHash = adminTokenSha256.filter(h -> !h.isBlank()).map(h -> HexFormat.of().parseHex(h.trim()));
        this.serviceHash = serviceToken.filter(t -> !t.isBlank()).map(TokenHash::sha256);
        this.directory = directory;
        this.oidc = oidc;
        this.clock = Clock.systemUTC();
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        byte[] presented = TokenHash.sha256(request.getToken().getToken());
        if (adminHash.isPresent() && MessageDigest.isEqual(adminHash.get(), presented)) {
            return identity(Caller.PlatformAdmin.BOOTSTRAP, ADMIN);
        }
        if (serviceHash.isPresent() && MessageDigest.isEqual(serviceHash.get(), presented)) {
            return identity(Caller.Service.INSTANCE, SERVICE);
        }
        String token = request.getToken().getToken();
        if (oidc.enabled() && OidcTokens.looksLikeJwt(token)) {
            // fetching the provider's keys (JWKS, cached) may block: off the event loop
            return context.runBlocking(() -> {
                Caller caller = oidc.verify(token);
                return build(caller, caller instanceof Caller.PlatformAdmin ? ADMIN : MEMBER);
            });
        }
        Optional<TokenEntry> entry = directory.lookup(HexFormat.of().formatHex(presented));
        if (entry.isEmpty()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("unknown or revoked token"));
        }
        if (entry.get().expiredAt(clock.instant())) {
            return Uni.createFrom().failure(new AuthenticationFailedException("expired token"));
        }
        return entry.get().platformAdmin()
                ? identity(new Caller.PlatformAdmin(entry.get().user(), Optional.of(entry.get().tokenId())), ADMIN)
                : identity(member(entry.get()), MEMBER);
    }

    private static Caller.Member member(TokenEntry entry) {
        Map<String, TeamRole> teams = new HashMap<>();
        // an unknown role grants nothing rather than guessing at its rights
        entry.teams().forEach((team, role) -> TeamRole.named(role).ifPresent(known -> teams.put(team, known)));
        return new Caller.Member(entry.user(), entry.tokenId(), teams);
    }

    private static Uni<SecurityIdentity> identity(Caller caller, String role) {
        return Uni.createFrom().item(build(caller, role));
    }

    private static SecurityIdentity build(Caller caller, String role) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.actor()))
                .addRole(role)
                .addAttribute(Caller.ATTRIBUTE, caller)
                .build();
    }
}

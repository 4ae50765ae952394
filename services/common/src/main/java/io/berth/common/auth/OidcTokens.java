package io.berth.common.auth;

import io.quarkus.security.AuthenticationFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;

/**
 * Logins through an external OIDC identity provider, when one is configured
 * ({@code berth.auth.oidc.issuer} and its keys: {@code jwks-url}, or one {@code public-key}): a bearer
 * token that is a JWT signed by the provider, for this issuer (and audience, if set), not expired,
 * is a caller. The user is the {@code user-claim} (preferred_username, else sub); teams and roles
 * come from the {@code groups-claim}: a group {@code <team-group-prefix><team>:<role>}
 * ({@code berth:shop:developer}) makes the user that in that team, the {@code admin-group} makes
 * them the platform admin. No Berth token store is involved: the provider decides, and its
 * token's expiry is the revocation.
 */
@ApplicationScoped
public class OidcTokens {
    /** What the token id of a provider's token starts with: such a caller's teams come from its groups, not from identity's tables. */
    public static final String TOKEN_ID_PREFIX = "oidc:";
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(OidcTokens.class);
    private final Optional<JwtConsumer> consumer;
    private final String userClaim;
    private final String groupsClaim;
    private final String teamGroupPrefix;
    private final String adminGroup;

    OidcTokens(@ConfigProperty(name = "berth.auth.oidc.issuer") Optional<String> issuer,
            @ConfigProperty(name = "berth.auth.oidc.audience") Optional<String> audience,
            @ConfigProperty(name = "berth.auth.oidc.jwks-url") Optional<String> jwksUrl,
            @ConfigProperty(name = "berth.auth.oidc.public-key") Optional<String> publicKey,
            @ConfigProperty(name = "berth.auth.oidc.user-claim", defaultValue = "preferred_username") String userClaim,
            @ConfigProperty(name = "berth.auth.oidc.groups-claim", defaultValue = "groups") String groupsClaim,
            @ConfigProperty(name = "berth.auth.oidc.team-group-prefix", defaultValue = "berth:") String teamGroupPrefix,
            @ConfigProperty(name = "berth.auth.oidc.admin-group", defaultValue = "berth-admins") String adminGroup) {
        this.userClaim = userClaim;
        this.groupsClaim = groupsClaim;
        this.teamGroupPrefix = teamGroupPrefix;
        this.adminGroup = adminGroup;
        this.consumer = issuer.filter(i -> !i.isBlank()).map(i -> {
            JwtConsumerBuilder builder = new JwtConsumerBuilder()
                    .setRequireExpirationTime()
                    .setAllowedClockSkewInSeconds(30)
                    .setRequireSubject()
                    .setExpectedIssuer(i);
            audience.filter(a -> !a.isBlank()).ifPresentOrElse(builder::setExpectedAudience, builder::setSkipDefaultAudienceValidation);
            if (jwksUrl.filter(u -> !u.isBlank()).isPresent()) {
                builder.setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(new HttpsJwks(jwksUrl.get())));
            } else {
                builder.setVerificationKey(parsePublicKey(publicKey.orElseThrow(() -> new IllegalArgumentException(
                        "berth.auth.oidc.issuer is set: set berth.auth.oidc.jwks-url or berth.auth.oidc.public-key too"))));
            }
            return builder.build();
        });
    }

    public boolean enabled() {
        return consumer.isPresent();
    }

    /** A JWT is three base64url parts; Berth's own tokens never have a dot. */
    public static boolean looksLikeJwt(String token) {
        return token.startsWith("eyJ") && token.chars().filter(c -> c == '.').count() == 2;
    }

    /** The caller the provider's token names; fails as any other bad token does (401). */
    public Caller verify(String token) {
        try {
            JwtClaims claims = consumer.orElseThrow(() -> new AuthenticationFailedException("no OIDC provider configured"))
                    .processToClaims(token);
            String user = claims.hasClaim(userClaim) ? claims.getStringClaimValue(userClaim) : claims.getSubject();
            String tokenId = TOKEN_ID_PREFIX + (claims.getJwtId() != null ? claims.getJwtId() : TokenHash.sha256Hex(token).substring(0, 16));
            List<String> groups = claims.hasClaim(groupsClaim) ? claims.getStringListClaimValue(groupsClaim) : List.of();
            if (groups.contains(adminGroup)) {
                return new Caller.PlatformAdmin(user, Optional.of(tokenId));
            }
            return new Caller.Member(user, tokenId, teams(groups));
        } catch (InvalidJwtException | MalformedClaimException e) {
            // the reason stays in the server's log (never the token): the client learns only that it is not accepted
            LOG.debugf("OIDC token refused (jose4j error codes %s)", e instanceof InvalidJwtException invalid
                    ? invalid.getErrorDetails().stream().map(d -> d.getErrorCode()).toList() : "malformed claim");
            throw new AuthenticationFailedException("OIDC token refused");
        }
    }

    private Map<String, TeamRole> teams(List<String> groups) {
        Map<String, TeamRole> teams = new HashMap<>();
        for (String group : groups) {
            if (!group.startsWith(teamGroupPrefix)) {
                continue;
            }
            String rest = group.substring(teamGroupPrefix.length());
            int colon = rest.lastIndexOf(':');
            if (colon <= 0) {
                continue;
            }
            String team = rest.substring(0, colon);
            // a user in a team twice keeps the stronger role
            TeamRole.named(rest.substring(colon + 1)).ifPresent(role -> teams.merge(team, role,
                    (a, b) -> a.ordinal() <= b.ordinal() ? a : b));
        }
        return teams;
    }

    private static PublicKey parsePublicKey(String text) {
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("berth.auth.oidc.public-key is not an RSA public key (PEM or base64 DER)");
        }
    }
}

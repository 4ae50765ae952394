package io.berth.identity.access;

import io.berth.common.auth.Caller;
import io.berth.common.auth.TeamRole;
import io.berth.common.auth.TokenHash;
import io.berth.common.auth.TokenIdentityProvider;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Accepts the users' API tokens from the identity service's own tables. Every other service reads
 * them from the directory on berth.identity; the identity service owns the tokens, so here a token
 * works from the moment its row is committed and stops the moment it is revoked, without waiting
 * for its own directory reader to catch up. It runs before the shared token provider and decides
 * every token shaped like a user token (a revoked one is refused even while a directory might
 * still hold it); anything else, the bootstrap admin and service tokens, it passes on to the shared
 * provider. The identity it makes is the one the shared provider would make: the same roles and
 * the same {@link Caller} attribute.
 */
@ApplicationScoped
public class UserTokenIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {
    private final Pool pool;
    private final String lookup;

    UserTokenIdentityProvider(Pool pool,
            @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        this.pool = pool;
        this.lookup = "select t.id, t.user_name, u.platform_admin,"
                + " coalesce(json_object_agg(m.team, m.role) filter (where m.team is not null), '{}') as teams"
                + " from " + schema + ".api_token t join " + schema + ".app_user u on u.name = t.user_name"
                + " left join " + schema + ".membership m on m.user_name = u.name"
                + " where t.sha256 = $1 and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())"
                + " group by t.id, t.user_name, u.platform_admin";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.getToken().getToken();
        if (!NewToken.looksLikeOne(token)) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery(lookup).execute(Tuple.of(TokenHash.sha256Hex(token))).map(rows -> {
            RowIterator<Row> it = rows.iterator();
            if (!it.hasNext()) {
                throw new AuthenticationFailedException("unknown, revoked or expired token");
            }
            return identity(it.next());
        });
    }

    private static SecurityIdentity identity(Row row) {
        String user = row.getString("user_name");
        String tokenId = row.getUUID("id").toString();
        Caller caller;
        String role;
        if (row.getBoolean("platform_admin")) {
            caller = new Caller.PlatformAdmin(user, Optional.of(tokenId));
            role = TokenIdentityProvider.ADMIN;
        } else {
            Map<String, TeamRole> teams = new HashMap<>();
            Object json = row.getValue("teams");
            JsonObject roles = json instanceof JsonObject object ? object : new JsonObject(String.valueOf(json));
            roles.forEach(e -> TeamRole.named(String.valueOf(e.getValue())).ifPresent(r -> teams.put(e.getKey(), r)));
            caller = new Caller.Member(user, tokenId, teams);
            role = TokenIdentityProvider.MEMBER;
        }
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user))
                .addRole(role)
                .addAttribute(Caller.ATTRIBUTE, caller)
                .build();
    }
}

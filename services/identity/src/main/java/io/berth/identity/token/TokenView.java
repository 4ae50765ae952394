package io.berth.identity.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;

/** A token as it is listed: never the token, never its hash. {@code state}: active, expired or revoked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenView(String id, String user, String name, String state, OffsetDateTime createdAt, String createdBy,
        OffsetDateTime expiresAt, OffsetDateTime revokedAt, String revokedBy) {

    public static TokenView of(ApiToken token) {
        OffsetDateTime now = OffsetDateTime.now();
        String state = token.revokedAt != null ? "revoked" : token.expiredAt(now) ? "expired" : "active";
        return new TokenView(token.id.toString(), token.userName, token.name, state, token.createdAt, token.createdBy,
                token.expiresAt, token.revokedAt, token.revokedBy);
    }
}

package io.berth.identity.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;

/** The answer to a token's creation: the only time the token itself is ever shown. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreatedToken(String id, String user, String name, String token, OffsetDateTime createdAt,
        OffsetDateTime expiresAt, String note) {

    static final String NOTE = "this is the only time the token is shown; store it now";

    /** Never print the token: a record's toString would. */
    @Override
    public String toString() {
        return "CreatedToken[id=" + id + ", user=" + user + "]";
    }
}

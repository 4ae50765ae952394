package io.berth.identity.access;

import io.berth.common.auth.TokenHash;
import java.security.SecureRandom;
import java.util.Base64;

/** A new API token: {@code berth_} and 32 random bytes (base64url), and the SHA-256 that is all we keep. */
public record NewToken(String token, String sha256) {
    static final String PREFIX = "berth_";
    private static final int RANDOM_BYTES = 32;
    /** 32 bytes are 43 base64url characters without padding */
    private static final int LENGTH = PREFIX.length() + 43;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static NewToken generate() {
        byte[] bytes = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(bytes);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        return new NewToken(token, TokenHash.sha256Hex(token));
    }

    /** Only tokens of this shape are looked up: anything else cannot be one of ours. */
    public static boolean looksLikeOne(String token) {
        return token != null && token.length() == LENGTH && token.startsWith(PREFIX);
    }

    /** Never print the token: a record's toString would. */
    @Override
    public String toString() {
        return "NewToken[sha256=" + sha256 + "]";
    }
}

package io.berth.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.berth.common.auth.TokenHash;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TokenHashTest {
    @Test
    void sharedTestProfileAcceptsTheTestToken() throws Exception {
        Properties shared = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/microprofile-config.properties")) {
            shared.load(in);
        }
        assertEquals(shared.getProperty("%test.berth.auth.admin-token-sha256"), TokenHash.sha256Hex(TestAuth.ADMIN_TOKEN));
    }
}

package io.berth.common.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {
    static final String OLD = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
    static final String NEW = "k2:" + Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void aSealedValueHidesThePlainTextAndOpensAgain() {
        SecretCipher cipher = SecretCipher.parse(OLD);
        String sealed = cipher.seal("s3cr3t-password");
        assertTrue(sealed.startsWith("enc:v1:k1:"));
        assertFalse(sealed.contains("s3cr3t"));
        assertNotEquals(sealed, cipher.seal("s3cr3t-password"), "a fresh nonce every time");
        assertEquals("s3cr3t-password", cipher.open(sealed));
        assertEquals(sealed, cipher.seal(sealed), "sealing twice does not nest");
    }

    @Test
    void rotationPutsANewKeyFirstOldValuesStillOpenAndAreRewrapped() {
        String underOld = SecretCipher.parse(OLD).seal("v");
        SecretCipher rotated = SecretCipher.parse(NEW + "," + OLD);
        assertEquals("v", rotated.open(underOld));
        assertTrue(rotated.needsRewrap(underOld));
        String rewrapped = rotated.rewrap(underOld);
        assertTrue(rewrapped.startsWith("enc:v1:k2:"));
        assertFalse(rotated.needsRewrap(rewrapped));
        // once the old key is dropped, only rewrapped values open
        SecretCipher newOnly = SecretCipher.parse(NEW);
        assertEquals("v", newOnly.open(rewrapped));
        IllegalStateException gone = assertThrows(IllegalStateException.class, () -> newOnly.open(underOld));
        assertTrue(gone.getMessage().contains("'k1'"));
    }

    @Test
    void aTamperedValueOrAValueMovedToAnotherKeyIdIsRefused() {
        SecretCipher ring = SecretCipher.parse(NEW + "," + OLD);
        String sealed = ring.seal("v");
        String body = sealed.substring("enc:v1:k2:".length());
        assertThrows(IllegalStateException.class, () -> ring.open("enc:v1:k1:" + body));
        byte[] raw = Base64.getDecoder().decode(body);
        raw[raw.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> ring.open("enc:v1:k2:" + Base64.getEncoder().encodeToString(raw)));
    }

    @Test
    void aBadKeyRingSaysWhatIsWrongWithoutShowingTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SecretCipher.parse("k1:c2hvcnQ="))
                .getMessage().contains("32 bytes"));
        assertThrows(IllegalArgumentException.class, () -> SecretCipher.parse("no-colon"));
        assertThrows(IllegalArgumentException.class, () -> SecretCipher.parse(OLD + "," + OLD));
        assertEquals("SecretCipher[k2, k1]", SecretCipher.parse(NEW + "," + OLD).toString());
        assertTrue(SecretCipher.isSealed("enc:v1:x:y"));
        assertFalse(SecretCipher.isSealed("plain"));
    }
}

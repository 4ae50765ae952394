package io.berth.common.secret;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for secret values at rest, with a key ring: the first key encrypts, every key
 * decrypts, so a key is rotated by putting a new one first, letting the holders re-encrypt what
 * they keep ({@link #needsRewrap}), and only then dropping the old one. A sealed value reads
 * {@code enc:v1:<key id>:<base64 of nonce and ciphertext>}; the key id is bound into the
 * ciphertext as associated data, so a value cannot be passed off as sealed under another key.
 */
public final class SecretCipher {
    public static final String PREFIX = "enc:v1:";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKeySpec> keys;
    private final String primary;
    private final SecureRandom random = new SecureRandom();

    private SecretCipher(Map<String, SecretKeySpec> keys) {
        this.keys = keys;
        this.primary = keys.keySet().iterator().next();
    }

    /**
     * Reads a key ring written as {@code id:base64key[,id:base64key...]}, primary first; each key is
     * 32 random bytes ({@code openssl rand -base64 32}).
     */
    public static SecretCipher parse(String ring) {
        Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        for (String entry : ring.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("berth.secrets.keys: an entry is not id:base64key");
            }
            String id = trimmed.substring(0, colon);
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("berth.secrets.keys: key ids are 1-32 letters, digits, _ or -");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(trimmed.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("berth.secrets.keys: key " + id + " is not base64");
            }
            if (key.length != 32) {
                throw new IllegalArgumentException("berth.secrets.keys: key " + id + " must be 32 bytes, not " + key.length);
            }
            if (keys.putIfAbsent(id, new SecretKeySpec(key, "AES")) != null) {
                throw new IllegalArgumentException("berth.secrets.keys: key id " + id + " appears twice");
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("berth.secrets.keys: no key");
        }
        return new SecretCipher(keys);
    }

    public String primaryKeyId() {
        return primary;
    }

    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** Seals a plain value under the primary key; a value already sealed is returned as it is. */
    public String seal(String plain) {
        if (isSealed(plain)) {
            return plain;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] sealed = run(Cipher.ENCRYPT_MODE, primary, nonce, plain.getBytes(StandardCharsets.UTF_8));
        ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
        return PREFIX + primary + ":" + Base64.getEncoder().encodeToString(out.array());
    }

    /** The plain value of a sealed one; a value that is not sealed (stored before encryption) is returned as it is. */
    public String open(String value) {
        if (!isSealed(value)) {
            return value;
        }
        String rest = value.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new IllegalStateException("a sealed value without its key id");
        }
        String id = rest.substring(0, colon);
        if (!keys.containsKey(id)) {
            throw new IllegalStateException("a secret is sealed under key '" + id + "', which berth.secrets.keys no longer holds");
        }
        byte[] raw = Base64.getDecoder().decode(rest.substring(colon + 1));
        byte[] nonce = java.util.Arrays.copyOfRange(raw, 0, NONCE_BYTES);
        byte[] sealed = java.util.Arrays.copyOfRange(raw, NONCE_BYTES, raw.length);
        return new String(run(Cipher.DECRYPT_MODE, id, nonce, sealed), StandardCharsets.UTF_8);
    }

    /** True when the value is plain or sealed under a key other than the primary: re-seal it. */
    public boolean needsRewrap(String value) {
        return !isSealed(value) || !value.startsWith(PREFIX + primary + ":");
    }

    public String rewrap(String value) {
        return needsRewrap(value) ? seal(open(value)) : value;
    }

    public List<String> keyIds() {
        return new ArrayList<>(keys.keySet());
    }

    private byte[] run(int mode, String keyId, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, keys.get(keyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            // a wrong key or a tampered value; never say more (no value in messages)
            throw new IllegalStateException("a secret could not be " + (mode == Cipher.ENCRYPT_MODE ? "sealed" : "opened")
                    + " with key '" + keyId + "'");
        }
    }

    @Override
    public String toString() {
        return "SecretCipher" + keys.keySet(); // ids only, never key material
    }
}

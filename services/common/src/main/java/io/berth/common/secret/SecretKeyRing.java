package io.berth.common.secret;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The configured key ring ({@code berth.secrets.keys}, env {@code BERTH_SECRETS_KEYS}); empty when
 * none is configured, in which case a service that keeps secrets must refuse them rather than
 * store them in the clear. bin/berth-dev writes one key into services.env.
 */
@ApplicationScoped
public class SecretKeyRing {
    private final Optional<SecretCipher> cipher;

    SecretKeyRing(@ConfigProperty(name = "berth.secrets.keys") Optional<String> keys) {
        this.cipher = keys.filter(k -> !k.isBlank()).map(SecretCipher::parse);
    }

    public Optional<SecretCipher> cipher() {
        return cipher;
    }
}

package io.berth.deploy.registry;

import io.berth.common.image.ImageRegistry;
import io.berth.common.problem.ProblemException;
import io.berth.common.secret.SecretCipher;
import io.berth.common.secret.SecretKeyRing;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The teams' registry credentials: sealed with the secrets' key ring before they are stored (without a
 * ring they are refused, never stored in the clear), opened only when an instance of an image release
 * is started, and then only those of the one registry its image names.
 */
@ApplicationScoped
public class RegistryCredentials {
    /** What the agent is given for one pull. The password is in the clear: never log or return it. */
    public record Opened(String username, String password) {
        @Override
        public String toString() {
            return "Opened[username=" + username + ", password=<hidden>]";
        }
    }

    private final SecretKeyRing ring;

    RegistryCredentials(SecretKeyRing ring) {
        this.ring = ring;
    }

    /** The team's credentials, by server: what the API shows of them. */
    Uni<java.util.List<RegistryCredential>> list(String team) {
        return Panache.withSession(() -> RegistryCredential.<RegistryCredential>list("team",
                io.quarkus.panache.common.Sort.by("server"), team));
    }

    /** Removes the team's credentials for {@code server}; false when it had none. */
    Uni<Boolean> delete(String team, String server) {
        return Panache.withTransaction(() -> RegistryCredential.deleteById(RegistryCredential.id(team, server)));
    }

    /** Stores or replaces the team's credentials for {@code server}; true when they are new. */
    Uni<Boolean> put(String team, String server, String username, String password) {
        SecretCipher cipher = ring.cipher().orElseThrow(() -> ProblemException.invalidField("password",
                "this Berth has no key to encrypt secrets with (berth.secrets.keys)"));
        String sealed = cipher.seal(password);
        OffsetDateTime now = OffsetDateTime.now();
        return Panache.withTransaction(() -> RegistryCredential.<RegistryCredential>findById(RegistryCredential.id(team, server))
                .chain(existing -> {
                    RegistryCredential credential = existing != null ? existing : new RegistryCredential();
                    if (existing == null) {
                        credential.id = RegistryCredential.id(team, server);
                        credential.team = team;
                        credential.server = server;
                        credential.createdAt = now;
                    }
                    credential.username = username;
                    credential.password = sealed;
                    credential.updatedAt = now;
                    return credential.<RegistryCredential>persist().replaceWith(existing == null);
                }));
    }

    /** The stored credentials of {@code server}, as the API shows them after a change. */
    Uni<RegistryCredential> find(String team, String server) {
        return Panache.withSession(() -> RegistryCredential.<RegistryCredential>findById(RegistryCredential.id(team, server)));
    }

    /** The team's credentials for the registry {@code image} is pulled from, opened; empty when it has none. */
    public Uni<Optional<Opened>> forImage(String team, String image) {
        String server = ImageRegistry.of(image);
        return Panache.withSession(() -> RegistryCredential.<RegistryCredential>findById(RegistryCredential.id(team, server)))
                .map(found -> Optional.ofNullable(found).map(c -> new Opened(c.username, ring.cipher()
                        .orElseThrow(() -> new IllegalStateException(
                                "registry credentials are sealed but berth.secrets.keys is not set"))
                        .open(c.password))));
    }
}

package io.berth.deploy.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.problem.ProblemException;
import io.berth.common.secret.SecretCipher;
import io.berth.common.secret.SecretKeyRing;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Secret env values are sealed (AES-GCM, {@link SecretCipher}) before a release is stored and
 * opened only to hand the release to the runtime; the API shows them masked. Without a key ring
 * a secret is refused, never stored in the clear. After a key rotation (a new key first in
 * berth.secrets.keys) the releases sealed under an older key are sealed again under the new one.
 */
@ApplicationScoped
public class ReleaseSecrets {
    private static final Logger LOG = Logger.getLogger(ReleaseSecrets.class);

    private final SecretKeyRing ring;
    private final ObjectMapper json;

    ReleaseSecrets(SecretKeyRing ring, ObjectMapper json) {
        this.ring = ring;
        this.json = json;
    }

    /** The spec as it is stored: every secret value sealed. */
    public ReleaseSpec seal(ReleaseSpec spec) {
        if (spec.env() == null || spec.env().stream().noneMatch(ReleaseSpec.EnvVar::secret)) {
            return spec;
        }
        SecretCipher cipher = ring.cipher().orElseThrow(() -> ProblemException.invalidField(
                "env[" + firstSecret(spec) + "].secret", "this Berth has no key to encrypt secrets with (berth.secrets.keys)"));
        return withSecrets(spec, cipher::seal);
    }

    /** The spec as the runtime needs it: secret values in the clear. */
    public ReleaseSpec open(ReleaseSpec spec) {
        if (spec.env() == null || spec.env().stream().noneMatch(e -> e.secret() && SecretCipher.isSealed(e.value()))) {
            return spec;
        }
        SecretCipher cipher = ring.cipher().orElseThrow(() -> new IllegalStateException(
                "a release holds sealed secrets but berth.secrets.keys is not set"));
        return withSecrets(spec, cipher::open);
    }

    /** Once at start, then hourly: seals what an older key (or none) sealed, under the primary key. */
    @Scheduled(every = "1h", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> rewrap() {
        if (ring.cipher().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        SecretCipher cipher = ring.cipher().get();
        return Panache.withSession(() -> Release.<Release>list("spec like ?1", "%\"secret\":true%"))
                .onItem().transformToMulti(releases -> Multi.createFrom().iterable(List.copyOf(releases)))
                .onItem().transformToUniAndConcatenate(release -> rewrap(release, cipher))
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> rewrap(Release stored, SecretCipher cipher) {
        ReleaseSpec spec = read(stored.spec);
        if (spec.env().stream().noneMatch(e -> e.secret() && cipher.needsRewrap(e.value()))) {
            return Uni.createFrom().voidItem();
        }
        String rewrapped = write(withSecrets(spec, cipher::rewrap));
        return Panache.withTransaction(() -> Release.update("spec = ?1 where id = ?2", rewrapped, stored.id))
                .invoke(() -> LOG.infof("secrets of %s v%d sealed again under key %s", stored.app, stored.version,
                        cipher.primaryKeyId()))
                .onFailure().invoke(e -> LOG.warnf("could not re-seal the secrets of %s v%d: %s", stored.app, stored.version,
                        e.getMessage()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private static ReleaseSpec withSecrets(ReleaseSpec spec, UnaryOperator<String> change) {
        List<ReleaseSpec.EnvVar> env = new ArrayList<>();
        for (ReleaseSpec.EnvVar e : spec.env()) {
            env.add(e.secret() ? new ReleaseSpec.EnvVar(e.name(), change.apply(e.value()), true) : e);
        }
        return new ReleaseSpec(spec.command(), spec.artifact(), spec.image(), spec.args(), env, spec.port(), spec.health(),
                spec.resources(), spec.replicas(), spec.strategy());
    }

    private static int firstSecret(ReleaseSpec spec) {
        for (int i = 0; i < spec.env().size(); i++) {
            if (spec.env().get(i).secret()) {
                return i;
            }
        }
        return 0;
    }

    private ReleaseSpec read(String stored) {
        try {
            return json.readValue(stored, ReleaseSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored release is unreadable", e);
        }
    }

    private String write(ReleaseSpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.berth.deploy.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.common.auth.TokenHash;
import io.berth.common.problem.Problem;
import io.berth.common.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.OffsetDateTime;
import java.util.function.Supplier;

/**
 * POSTs with an {@code Idempotency-Key} header are done once: a repeat with the same key and the
 * same request gets the first answer again (a client that lost the response can retry safely); the
 * same key with a different request is a 422. Keys are per caller.
 */
@ApplicationScoped
public class IdempotentRequests {
    public static final String HEADER = "Idempotency-Key";
    private final ObjectMapper json;
    private final SecurityIdentity identity;

    IdempotentRequests(ObjectMapper json, SecurityIdentity identity) {
        this.json = json;
        this.identity = identity;
    }

    public Uni<Response> once(String key, String method, String path, Object request, Supplier<Uni<Response>> action) {
        if (key == null) {
            return action.get();
        }
        if (key.isBlank() || key.length() > 200) {
            return Uni.createFrom().failure(ProblemException.invalidField(HEADER, "must be 1 to 200 characters"));
        }
        String principal = identity.getPrincipal().getName();
        String hash = TokenHash.sha256Hex(method + " " + path + " " + write(request));
        return Panache.withSession(() -> IdempotencyKey.<IdempotencyKey>findById(new IdempotencyKey.Id(principal, key)))
                .chain(stored -> {
                    if (stored != null) {
                        if (!stored.requestHash.equals(hash)) {
                            return Uni.createFrom().failure(new ProblemException(Problem.of(422, "Unprocessable Entity",
                                    "Idempotency-Key '" + key + "' was used for a different request")));
                        }
                        return Uni.createFrom().item(replay(stored));
                    }
                    return action.get().call(response -> remember(principal, key, hash, response));
                });
    }

    private Uni<Void> remember(String principal, String key, String hash, Response response) {
        IdempotencyKey record = new IdempotencyKey();
        record.principal = principal;
        record.key = key;
        record.requestHash = hash;
        record.status = response.getStatus();
        record.location = response.getLocation() == null ? null : response.getLocation().toString();
        record.body = write(response.getEntity());
        record.createdAt = OffsetDateTime.now();
        return Panache.withTransaction(record::persist).replaceWithVoid();
    }

    private static Response replay(IdempotencyKey stored) {
        Response.ResponseBuilder builder = Response.status(stored.status).type(MediaType.APPLICATION_JSON)
                .entity(stored.body).header("Idempotent-Replayed", "true");
        if (stored.location != null) {
            builder.location(URI.create(stored.location));
        }
        return builder.build();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

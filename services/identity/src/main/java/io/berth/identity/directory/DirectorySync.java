package io.berth.identity.directory;

import io.berth.events.directory.TokenEntry;
import io.berth.identity.directory.DirectoryProducer.Write;
import io.berth.identity.member.Membership;
import io.berth.identity.token.ApiToken;
import io.berth.identity.user.AppUser;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Keeps the directory equal to the tables. Every change to a user's grants runs in a transaction
 * that first locks the user's row ({@link #lock}), makes the change, and then publishes what the
 * user's tokens grant now ({@link #republish}) before it commits: changes to one user, and their
 * records on the topic, happen one at a time and in commit order, so the last record per token
 * is always the current grant. A publish that fails rolls the change back.
 */
@ApplicationScoped
public class DirectorySync {
    private final DirectoryProducer producer;

    DirectorySync(DirectoryProducer producer) {
        this.producer = producer;
    }

    /** Locks the users' rows (in name order, so two changes never wait on each other) until commit. */
    public Uni<List<AppUser>> lock(Collection<String> users) {
        if (users.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return AppUser.<AppUser>find("name in ?1 order by name", new TreeSet<>(users))
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    /**
     * Publishes the current grant of every working token of these users (flushing the session
     * first, so the change just made is what is read), and a tombstone for any that has expired.
     */
    public Uni<Void> republish(Collection<String> users) {
        if (users.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<String> names = List.copyOf(new TreeSet<>(users));
        return Panache.getSession().chain(session -> session.flush())
                .chain(() -> ApiToken.<ApiToken>list("userName in ?1 and revokedAt is null", names))
                .chain(tokens -> tokens.isEmpty() ? Uni.createFrom().voidItem()
                        : grants(names).chain(grants -> producer.publish(writes(tokens, grants))));
    }

    /** Tombstones for tokens that no longer work (revoked, or their user removed). */
    public Uni<Void> tombstone(Collection<ApiToken> tokens) {
        return producer.publish(tokens.stream().map(t -> Write.tombstone(t.sha256)).toList());
    }

    /**
     * The whole directory again, level-triggered: every working token's grant and a tombstone for
     * every other token, so a crash between a commit and its publish heals at the next start.
     * Every user row is locked meanwhile, so no change interleaves with it. Returns the count.
     */
    public Uni<Integer> republishEverything() {
        return Panache.withTransaction(() -> AppUser.<AppUser>find("order by name")
                .withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .chain(users -> ApiToken.<ApiToken>listAll()
                        .chain(tokens -> grants(users.stream().map(u -> u.name).toList())
                                .chain(grants -> {
                                    List<Write> writes = writes(tokens, grants);
                                    return producer.publish(writes).replaceWith(writes.size());
                                }))));
    }

    /** Tombstones for tokens that expired since the last sweep, each once. Returns the count. */
    public Uni<Integer> tombstoneExpired() {
        OffsetDateTime now = OffsetDateTime.now();
        return Panache.withTransaction(() -> ApiToken.<ApiToken>find(
                        "revokedAt is null and expiryPublishedAt is null and expiresAt <= ?1", now)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list()
                .chain(expired -> tombstone(expired).invoke(() -> expired.forEach(t -> t.expiryPublishedAt = now))
                        .replaceWith(expired.size())));
    }

    /** A user's grant: platform admin or not, and the role in each team. */
    private record Grant(boolean platformAdmin, Map<String, String> teams) {
    }

    private static Uni<Map<String, Grant>> grants(List<String> users) {
        if (users.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return AppUser.<AppUser>list("name in ?1", users).chain(rows -> Membership.<Membership>list("userName in ?1", users)
                .map(memberships -> {
                    Map<String, Map<String, String>> teams = new HashMap<>();
                    for (Membership m : memberships) {
                        teams.computeIfAbsent(m.userName, u -> new HashMap<>()).put(m.team, m.role);
                    }
                    return rows.stream().collect(Collectors.toMap(u -> u.name,
                            u -> new Grant(u.platformAdmin, teams.getOrDefault(u.name, Map.of())), (a, b) -> a));
                }));
    }

    /** A working token whose user has a grant gets an entry; every other token a tombstone. */
    private static List<Write> writes(List<ApiToken> tokens, Map<String, Grant> grants) {
        OffsetDateTime now = OffsetDateTime.now();
        List<Write> writes = new ArrayList<>(tokens.size());
        for (ApiToken token : tokens) {
            Grant grant = grants.get(token.userName);
            if (grant == null || !token.activeAt(now)) {
                writes.add(Write.tombstone(token.sha256));
            } else {
                writes.add(new Write(token.sha256, new TokenEntry(token.id.toString(), token.userName,
                        grant.platformAdmin(), grant.teams(),
                        token.expiresAt == null ? null : token.expiresAt.toInstant())));
            }
        }
        return writes;
    }
}

package io.berth.common.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The cast of every tenancy test: team A with a developer and a viewer, team B with a developer,
 * their tokens published on berth.identity and their apps on berth.app-owners through
 * {@link Directory}, as the identity and deploy services would. Names carry a random run id, so
 * runs never meet; {@link #close} revokes the tokens and disowns the apps.
 *
 * <p>Make it in a {@code @BeforeEach} guarded by a null check, not in {@code @BeforeAll}: it waits
 * until the service under test accepts the tokens, and before the first test the HTTP client does
 * not know the test port yet.
 */
public final class TwoTeams implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(10);

    public final String run = UUID.randomUUID().toString().substring(0, 8);
    public final String teamA = "ta-" + run;
    public final String teamB = "tb-" + run;
    public final String devA;
    public final String viewerA;
    public final String devB;
    private final List<String> tokens = new ArrayList<>();
    private final List<String> apps = new ArrayList<>();

    private TwoTeams() {
        devA = token("dev-a-" + run, Map.of(teamA, "developer"));
        viewerA = token("viewer-a-" + run, Map.of(teamA, "viewer"));
        devB = token("dev-b-" + run, Map.of(teamB, "developer"));
    }

    /** Publishes the three tokens and waits until the service under test accepts them. */
    public static TwoTeams create() throws InterruptedException {
        TwoTeams teams = new TwoTeams();
        for (String token : List.of(teams.devA, teams.viewerA, teams.devB)) {
            Directory.awaitAccepted(token, WAIT);
        }
        return teams;
    }

    /** Another token, revoked on {@link #close}. */
    public String token(String user, Map<String, String> roles) {
        String token = Directory.memberToken(user, roles);
        tokens.add(token);
        return token;
    }

    /** Gives {@code app} to {@code team} on berth.app-owners; disowned on {@link #close}. */
    public String own(String app, String team) {
        Directory.own(app, team);
        apps.add(app);
        return app;
    }

    /**
     * Waits until the service's app-owner directory has the app: until {@code path} (one of the app's
     * own reads) stops giving the owning team's {@code token} the answer for a hidden app.
     */
    public void awaitOwned(String token, String app, String path) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (isHidden(Directory.as(token).get(path), app)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " still hides " + app + " from its own team after " + WAIT);
            }
            // under a member token's sustained rate limit (20 a second; 5 in common's own tests), or
            // its bucket runs dry
            Thread.sleep(250);
        }
    }

    /** The answer for another team's app: the same 404 as for an app that does not exist. */
    public static boolean isHidden(io.restassured.response.Response response, String app) {
        return response.statusCode() == 404 && response.contentType().contains("json")
                && ("app '" + app + "' does not exist").equals(response.jsonPath().getString("detail"));
    }

    @Override
    public void close() {
        tokens.forEach(Directory::revoke);
        apps.forEach(Directory::disown);
    }
}

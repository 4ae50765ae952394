package io.berth.console.overview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.berth.console.readmodel.AppHistory;
import io.berth.console.readmodel.AppInstances.Counts;
import io.berth.console.readmodel.DeployOutcome;
import io.berth.events.EventData;
import io.berth.events.deployment.AppCreated;
import io.berth.events.deployment.AppDeleted;
import io.berth.events.deployment.CanaryAborted;
import io.berth.events.deployment.CanaryPromoted;
import io.berth.events.deployment.ReleaseCreated;
import io.berth.events.deployment.RolloutCompleted;
import io.berth.events.deployment.RolloutFailed;
import io.berth.events.deployment.RolloutProgressed;
import io.berth.events.deployment.RolloutStarted;
import io.berth.events.deployment.Scaled;
import io.berth.events.scaling.ScaleDecided;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The deploy history and the status it gives, as pure functions over events. */
class AppStatusTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final String APP = "web";

    private static AppHistory replay(EventData... events) {
        AppHistory state = null;
        Instant at = T0;
        for (EventData event : events) {
            state = AppHistory.apply(state, event, at);
            at = at.plusSeconds(1);
        }
        return state;
    }

    private static AppStatus status(AppHistory history, int ready, int total) {
        return AppStatus.of(history, new Counts(ready, total));
    }

    @Test
    void anAppWithNoReleaseIsNew() {
        AppHistory h = replay(new AppCreated(APP, "team"));
        assertEquals(AppStatus.NEW, status(h, 0, 0));
        assertEquals(AppStatus.NEW, status(null, 0, 0));
        assertEquals("team", h.team());
        assertNull(h.lastDeploy());
    }

    @Test
    void aRolloutUnderWayIsDeployingThenRunningWhenItCompletes() {
        AppHistory h = replay(new AppCreated(APP, "team"), new ReleaseCreated(APP, 1, 3, "dev"),
                new RolloutStarted(APP, "r1", null, 1, 3), new RolloutProgressed(APP, "r1", 1, 1, 3, "1 of 3"));
        assertEquals(AppStatus.DEPLOYING, status(h, 1, 1));
        assertEquals(DeployOutcome.IN_PROGRESS, h.lastDeploy().outcome());
        assertEquals(T0.plusSeconds(2), h.lastDeploy().at());
        assertNull(h.currentRelease());
        assertEquals(1, h.targetRelease());

        h = AppHistory.apply(h, new RolloutCompleted(APP, "r1", 1), T0.plusSeconds(30));
        assertEquals(AppStatus.RUNNING, status(h, 3, 3));
        assertEquals(new AppHistory.Deploy(1, DeployOutcome.COMPLETED, T0.plusSeconds(30), "r1"), h.lastDeploy());
        assertEquals(1, h.currentRelease());
        assertEquals(3, h.replicas());
    }

    @Test
    void fewerReadyThanWantedWithNoRolloutIsDegraded() {
        AppHistory h = replay(new ReleaseCreated(APP, 1, 3, "dev"), new RolloutStarted(APP, "r1", null, 1, 3),
                new RolloutCompleted(APP, "r1", 1));
        assertEquals(AppStatus.DEGRADED, status(h, 2, 3));
        assertEquals(AppStatus.RUNNING, status(h, 3, 4));
    }

    @Test
    void scaledToZeroIsStopped() {
        AppHistory h = replay(new ReleaseCreated(APP, 1, 2, "dev"), new RolloutStarted(APP, "r1", null, 1, 2),
                new RolloutCompleted(APP, "r1", 1), new Scaled(APP, 2, 0, "dev"));
        assertEquals(AppStatus.STOPPED, status(h, 0, 0));
        assertEquals(0, h.replicas());
    }

    @Test
    void aFailedDeployThatRollsBackIsFailedWhileAndAfterItGoesBack() {
        AppHistory h = replay(new ReleaseCreated(APP, 1, 2, "dev"), new RolloutStarted(APP, "r1", null, 1, 2),
                new RolloutCompleted(APP, "r1", 1), new ReleaseCreated(APP, 2, 2, "dev"),
                new RolloutStarted(APP, "r2", 1, 2, 2),
                new RolloutFailed(APP, "r2", 2, "no new instance became Ready", 1));
        assertEquals(AppStatus.FAILED, status(h, 2, 2));
        assertEquals(DeployOutcome.ROLLED_BACK, h.lastDeploy().outcome());
        assertEquals(2, h.lastDeploy().release());

        // deploy's automatic way back: a rollout, but not a deploy of its own
        h = AppHistory.apply(h, new RolloutStarted(APP, "r3", 2, 1, 2), T0.plusSeconds(60));
        assertTrue(h.rollout().rollback());
        assertEquals(AppStatus.FAILED, status(h, 1, 2));
        assertEquals(2, h.lastDeploy().release());
        h = AppHistory.apply(h, new RolloutCompleted(APP, "r3", 1), T0.plusSeconds(90));
        assertEquals(AppStatus.FAILED, status(h, 2, 2));
        assertEquals(DeployOutcome.ROLLED_BACK, h.lastDeploy().outcome());
        assertEquals(1, h.currentRelease());

        // the next deploy clears it
        h = AppHistory.apply(h, new RolloutStarted(APP, "r4", 1, 3, 2), T0.plusSeconds(120));
        assertFalse(h.rollout().rollback());
        assertEquals(AppStatus.DEPLOYING, status(h, 2, 2));
        h = AppHistory.apply(h, new RolloutCompleted(APP, "r4", 3), T0.plusSeconds(150));
        assertEquals(AppStatus.RUNNING, status(h, 2, 2));
    }

    @Test
    void aFirstDeployThatFailsHasNothingToGoBackTo() {
        AppHistory h = replay(new ReleaseCreated(APP, 1, 1, "dev"), new RolloutStarted(APP, "r1", null, 1, 1),
                new RolloutFailed(APP, "r1", 1, "crashed", null));
        assertEquals(DeployOutcome.FAILED, h.lastDeploy().outcome());
        assertEquals(AppStatus.FAILED, status(h, 0, 1));
    }

    @Test
    void anAbortedCanaryIsRolledBack() {
        AppHistory h = replay(new ReleaseCreated(APP, 1, 2, "dev"), new RolloutStarted(APP, "r1", null, 1, 2),
                new RolloutCompleted(APP, "r1", 1), new RolloutStarted(APP, "r2", 1, 2, 2),
                new CanaryPromoted(APP, "r2", 2, "dev"));
        assertEquals(AppStatus.DEPLOYING, status(h, 2, 3));
        h = AppHistory.apply(h, new CanaryAborted(APP, "r2", 2, 1, "dev"), T0.plusSeconds(60));
        h = AppHistory.apply(h, new RolloutStarted(APP, "r3", 2, 1, 2), T0.plusSeconds(61));
        assertEquals(DeployOutcome.ROLLED_BACK, h.lastDeploy().outcome());
        assertEquals(AppStatus.FAILED, status(h, 2, 2));
    }

    @Test
    void aUsersRollbackIsADeployOfItsOwn() {
        AppHistory h = replay(new RolloutStarted(APP, "r1", null, 1, 1), new RolloutCompleted(APP, "r1", 1),
                new RolloutStarted(APP, "r2", 1, 2, 1), new RolloutCompleted(APP, "r2", 2),
                new RolloutStarted(APP, "r3", 2, 1, 1));
        assertFalse(h.rollout().rollback());
        assertEquals(1, h.lastDeploy().release());
        assertEquals(AppStatus.DEPLOYING, status(h, 1, 1));
    }

    @Test
    void anEventDeliveredTwiceChangesNothing() {
        RolloutStarted started = new RolloutStarted(APP, "r1", null, 1, 2);
        AppHistory once = replay(new AppCreated(APP, "team"), started);
        assertEquals(once, AppHistory.apply(once, started, T0.plusSeconds(99)));
        assertEquals(once, AppHistory.apply(once, new AppCreated(APP, "team"), T0.plusSeconds(99)));
    }

    @Test
    void deploysAnswerFillsOnlyWhatTheEventsNoLongerSay() {
        AppHistory aged = AppHistory.fillIn(null, APP, "team", 3, 4, 5);
        assertEquals(new AppHistory(APP, "team", 3, 5, 4, 5, null, null, null, null), aged);
        assertEquals(AppStatus.DEGRADED, status(aged, 2, 2));

        AppHistory known = replay(new AppCreated(APP, "team"), new RolloutStarted(APP, "r1", null, 1, 2),
                new RolloutCompleted(APP, "r1", 1));
        assertEquals(known, AppHistory.fillIn(known, APP, "other", 9, 7, 7));
    }

    @Test
    void theAutoscalersDecisionIsKeptAndADeletedAppIsGone() {
        AppHistory h = replay(new AppCreated(APP, "team"), new ScaleDecided(APP, "d1", 2, 4, "cpu 90% > 70%"));
        assertEquals(new AppHistory.Scaling(2, 4, "cpu 90% > 70%", T0.plusSeconds(1)), h.lastScaling());
        assertNull(AppHistory.apply(h, new AppDeleted(APP, "team"), T0.plusSeconds(2)));
    }
}

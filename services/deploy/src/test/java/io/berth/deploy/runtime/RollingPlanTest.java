package io.berth.deploy.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollingPlanTest {
    static final String NEW = "r2s0";
    static final String OLD = "r1s0";

    static List<RuntimeInstance> instances(int oldReady, int oldUnready, int newReady, int newUnready) {
        List<RuntimeInstance> list = new ArrayList<>();
        for (int i = 0; i < oldReady; i++) {
            list.add(new RuntimeInstance("old-r" + i, 1, OLD, "READY", true, false, "h", 1, 0, null));
        }
        for (int i = 0; i < oldUnready; i++) {
            list.add(new RuntimeInstance("old-u" + i, 1, OLD, "RUNNING", false, false, "h", 1, 0, null));
        }
        for (int i = 0; i < newReady; i++) {
            list.add(new RuntimeInstance("new-r" + i, 2, NEW, "READY", true, false, "h", 1, 0, null));
        }
        for (int i = 0; i < newUnready; i++) {
            list.add(new RuntimeInstance("new-u" + i, 2, NEW, "STARTING", false, false, "h", 1, 0, null));
        }
        return list;
    }

    @Test
    void firstRolloutStartsEveryReplica() {
        RollingPlan plan = RollingPlan.next(3, 1, 0, NEW, List.of());
        assertEquals(3, plan.toStart());
        assertEquals(0, plan.toStop().size());
    }

    @Test
    void surgeOneUnavailableZeroAddsOneAndRetiresNothingUntilItIsReady() {
        RollingPlan start = RollingPlan.next(3, 1, 0, NEW, instances(3, 0, 0, 0));
        assertEquals(1, start.toStart());
        assertEquals(0, start.toStop().size());

        RollingPlan waiting = RollingPlan.next(3, 1, 0, NEW, instances(3, 0, 0, 1));
        assertEquals(0, waiting.toStart(), "at most replicas + maxSurge exist");
        assertEquals(0, waiting.toStop().size(), "no old one goes before its replacement is Ready");

        RollingPlan oneReady = RollingPlan.next(3, 1, 0, NEW, instances(3, 0, 1, 0));
        assertEquals(0, oneReady.toStart());
        assertEquals(1, oneReady.toStop().size());
        assertEquals(OLD, oneReady.toStop().get(0).template());
    }

    @Test
    void maxUnavailableLetsOldGoBeforeNewIsReady() {
        RollingPlan plan = RollingPlan.next(4, 0, 2, NEW, instances(4, 0, 0, 0));
        assertEquals(0, plan.toStart(), "no surge: nothing starts while 4 old exist");
        assertEquals(2, plan.toStop().size(), "two may be unavailable");
    }

    @Test
    void unreadyOldInstancesAlwaysGoFirst() {
        RollingPlan plan = RollingPlan.next(3, 1, 0, NEW, instances(2, 1, 0, 0));
        assertEquals(1, plan.toStop().size());
        assertEquals("old-u0", plan.toStop().get(0).id());
    }

    @Test
    void completeWhenAllNewAreReadyAndNoOldRemain() {
        assertEquals(true, RollingPlan.next(3, 1, 0, NEW, instances(0, 0, 3, 0)).observation().complete());
        assertEquals(false, RollingPlan.next(3, 1, 0, NEW, instances(1, 0, 3, 0)).observation().complete());
        assertEquals(false, RollingPlan.next(3, 1, 0, NEW, instances(0, 0, 2, 1)).observation().complete());
    }

    @Test
    void scaleDownStopsTheNotReadyFirstThenTheNewest() {
        List<RuntimeInstance> list = instances(0, 0, 3, 1);
        RollingPlan plan = RollingPlan.next(2, 1, 0, NEW, list);
        assertEquals(2, plan.toStop().size());
        assertEquals("new-u0", plan.toStop().get(0).id());
        assertEquals("new-r2", plan.toStop().get(1).id());
    }

    @Test
    void terminatingInstancesAreIgnored() {
        List<RuntimeInstance> list = new ArrayList<>(instances(0, 0, 3, 0));
        list.add(new RuntimeInstance("old-t", 1, OLD, "TERMINATING", false, true, "h", 1, 0, null));
        assertEquals(true, RollingPlan.next(3, 1, 0, NEW, list).observation().complete());
    }
}

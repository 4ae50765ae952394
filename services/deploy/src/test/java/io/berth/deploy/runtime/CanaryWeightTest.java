package io.berth.deploy.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The canary's instances and weights give it the share of traffic asked for. */
class CanaryWeightTest {

    static DesiredApp canary(int replicas, int weight) {
        return new DesiredApp("shop", "team-a", 2, null, replicas, 0, weight);
    }

    static double share(DesiredApp d) {
        double canary = (double) d.canaryInstances() * d.canaryServerWeight();
        return 100 * canary / (canary + (double) d.replicas() * DesiredApp.BASE_WEIGHT);
    }

    @Test
    void aSmallShareIsOneLightInstance() {
        DesiredApp d = canary(3, 10);
        assertEquals(1, d.canaryInstances());
        assertEquals(33, d.canaryServerWeight());
        assertEquals(10, share(d), 0.5);
        assertEquals("r2s0c", d.template());
    }

    @Test
    void everyShareFrom1To99IsMetWithinAPercentWithoutExceedingHaproxysMaximumWeight() {
        for (int replicas : new int[] {1, 2, 3, 5, 10, 50}) {
            for (int weight = 1; weight <= 99; weight++) {
                DesiredApp d = canary(replicas, weight);
                assertTrue(d.canaryServerWeight() >= 1 && d.canaryServerWeight() <= 256, d.toString());
                assertEquals(weight, share(d), 1.0, replicas + " replicas, " + weight + "%: " + d.canaryInstances()
                        + " x " + d.canaryServerWeight());
            }
        }
    }
}

package io.berth.console.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.berth.common.problem.ProblemException;
import org.junit.jupiter.api.Test;

class MinutesTest {
    @Test
    void thirtyUnlessAWholeNumberFromOneToSixtyIsGiven() {
        assertEquals(30, AppMetricsResource.minutes(null));
        assertEquals(30, AppMetricsResource.minutes(""));
        assertEquals(1, AppMetricsResource.minutes("1"));
        assertEquals(60, AppMetricsResource.minutes("60"));
        for (String bad : new String[] {"0", "61", "x", "2.5", "-1"}) {
            ProblemException problem = assertThrows(ProblemException.class, () -> AppMetricsResource.minutes(bad));
            assertEquals(400, problem.problem().status());
            assertEquals("minutes", problem.problem().errors().get(0).field());
        }
    }
}

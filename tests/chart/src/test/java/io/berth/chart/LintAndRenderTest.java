package io.berth.chart;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.LintResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LintAndRenderTest {

    @Test
    void theChartPassesHelmLintStrict() {
        LintResult result = Chart.helm().lint().strict().call();
        assertFalse(result.isFailed(), () -> "helm lint --strict: " + result.getMessages());
    }

    @Test
    void theDefaultsRender() {
        String yaml = Chart.template(Map.of());
        assertTrue(yaml.contains("kind: Deployment"), yaml);
    }
}

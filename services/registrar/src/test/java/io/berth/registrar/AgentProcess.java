package io.berth.registrar;

import io.berth.common.testing.PackagedAgent;

/** The packaged agent for the registrar's tests, which watch real processes start, pass their health check and stop. */
public class AgentProcess extends PackagedAgent {
    public AgentProcess() {
        super(28000, 28999);
    }
}

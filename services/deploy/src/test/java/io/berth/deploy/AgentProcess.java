package io.berth.deploy;

import io.berth.common.testing.PackagedAgent;

/** The packaged agent for the deploy service's tests: releases run as real processes. */
public class AgentProcess extends PackagedAgent {
    public AgentProcess() {
        super(32000, 32700);
    }
}

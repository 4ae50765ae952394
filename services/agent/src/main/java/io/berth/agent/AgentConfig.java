package io.berth.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.nio.file.Path;

@ConfigMapping(prefix = "berth.agent")
public interface AgentConfig {
    @WithName("data-dir")
    Path dataDir();

    @WithName("port-range-start")
    int portRangeStart();

    @WithName("port-range-end")
    int portRangeEnd();
}

package io.berth.agent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;

@ConfigMapping(prefix = "berth.agent")
public interface AgentConfig {
    @WithName("data-dir")
    Path dataDir();

    String host();

    @WithName("port-range-start")
    int portRangeStart();

    @WithName("port-range-end")
    int portRangeEnd();

    @WithName("restart-initial-delay")
    Duration restartInitialDelay();

    @WithName("restart-max-delay")
    Duration restartMaxDelay();

    @WithName("restart-reset")
    Duration restartReset();

    @WithName("usage-interval")
    Duration usageInterval();

    @WithName("stop-instances-on-shutdown")
    boolean stopInstancesOnShutdown();

    @WithName("watch-history")
    int watchHistory();

    /** enforce each instance's CPU and memory limits through cgroups (where they can be written) */
    @WithName("enforce-resources")
    boolean enforceResources();

    @WithName("cgroup-root")
    Path cgroupRoot();

    /** the group under each controller that holds the instances' groups */
    @WithName("cgroup-parent")
    String cgroupParent();
}

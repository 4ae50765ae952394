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

    /** how instances run: {@code container} (isolated, the default) or {@code process} (trusted apps only) */
    String runtime();

    /**
     * the directories an instance's artifact must lie in: it is mounted into the container, so a
     * path anywhere else (the platform's keys, say) is refused
     */
    @WithName("artifact-roots")
    java.util.List<Path> artifactRoots();

    Container container();

    /** berth.agent.container.*: what every container on this agent gets */
    interface Container {
        /** the podman executable */
        String podman();

        /** the OCI runtime podman runs containers with (Debian's crun fails under hybrid cgroups) */
        @WithName("oci-runtime")
        String ociRuntime();

        /**
         * netavark, not CNI: a container's network is set up in about half the time (measured: 278 against
         * 464 ms a run), and its isolate option keeps the teams' networks apart.
         */
        @WithName("network-backend")
        String networkBackend();

        /** the image command and artifact releases run in (built by bin/berth-dev from Debian's packages) */
        @WithName("base-image")
        String baseImage();

        /** the uid and gid an instance runs as inside its user namespace */
        int uid();

        @WithName("pids-limit")
        int pidsLimit();

        int nofile();

        /** the size of each of the writable tmpfs mounts, /tmp and the work directory */
        @WithName("tmp-size")
        String tmpSize();

        /** the size at which conmon rotates an instance's log file */
        @WithName("log-max-size")
        String logMaxSize();

        /**
         * the host's CA certificates every container trusts (mounted read-only at the same paths, where
         * they exist): a PEM bundle and Java's trust store
         */
        @WithName("trusted-certificates")
        java.util.List<Path> trustedCertificates();

        /** the cgroup under which podman puts the containers' groups */
        @WithName("cgroup-parent")
        String cgroupParent();

        /** host ports instances may connect to (the gateway's HTTP port); every other port of the host is closed to them */
        @WithName("open-host-ports")
        java.util.List<Integer> openHostPorts();

        /** keep instances off the host's own ports through an iptables chain (off only where the agent is not root) */
        boolean firewall();

        /** how long one podman call may take */
        @WithName("call-timeout")
        java.time.Duration callTimeout();

        /** how long pulling an image release's image may take */
        @WithName("pull-timeout")
        java.time.Duration pullTimeout();

        /**
         * registries (host[:port], as image references name them) pulled from without TLS verification:
         * plain HTTP on loopback in development; every other registry must have a certificate the host trusts
         */
        @WithName("insecure-registries")
        java.util.Optional<java.util.List<String>> insecureRegistries();
    }
}

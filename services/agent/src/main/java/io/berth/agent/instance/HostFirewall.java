package io.berth.agent.instance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Keeps instances off the host's own ports. A container reaches every service the host binds to a
 * wildcard address through its bridge's gateway (Kafka, Elasticsearch, PostgreSQL, the platform's
 * APIs): packets from the instances' networks to the host go through one iptables chain that
 * admits replies and the open ports (the gateway) and rejects the rest. Traffic between the
 * instances' networks is netavark's to stop (each team's network is created isolated).
 */
final class HostFirewall {
    private static final Logger LOG = Logger.getLogger(HostFirewall.class);
    static final String CHAIN = "BERTH-INSTANCES";

    private final String subnetPool;
    private final List<Integer> openPorts;

    HostFirewall(String subnetPool, List<Integer> openPorts) {
        this.subnetPool = subnetPool;
        this.openPorts = List.copyOf(openPorts);
    }

    /** The chain's rules, in order (arguments after {@code iptables -A CHAIN}). */
    static List<List<String>> rules(List<Integer> openPorts) {
        List<List<String>> rules = new ArrayList<>();
        rules.add(List.of("-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"));
        for (int port : openPorts) {
            rules.add(List.of("-p", "tcp", "--dport", Integer.toString(port), "-j", "ACCEPT"));
        }
        // a reset, not a silent drop: an app that tries learns at once that the door is shut
        rules.add(List.of("-p", "tcp", "-j", "REJECT", "--reject-with", "tcp-reset"));
        rules.add(List.of("-j", "REJECT", "--reject-with", "icmp-port-unreachable"));
        return rules;
    }

    /** The jump into the chain, for packets from the instances' networks to the host itself. */
    List<String> jump() {
        return List.of("INPUT", "-s", subnetPool, "-j", CHAIN);
    }

    /** The chain in iptables-restore's format: restored with --noflush, it replaces this chain alone, at once. */
    static String restoreInput(List<Integer> openPorts) {
        StringBuilder text = new StringBuilder("*filter\n:" + CHAIN + " - [0:0]\n");
        for (List<String> rule : rules(openPorts)) {
            text.append("-A ").append(CHAIN).append(' ').append(String.join(" ", rule)).append('\n');
        }
        return text.append("COMMIT\n").toString();
    }

    /** Writes the chain afresh and makes sure INPUT jumps to it first; level-triggered, so safe to repeat. */
    void apply() throws IOException {
        run(List.of("iptables-restore", "-w", "5", "--noflush"), restoreInput(openPorts));
        List<String> check = new ArrayList<>(List.of("-C"));
        check.addAll(jump());
        if (!iptables(check, true)) {
            List<String> insert = new ArrayList<>(List.of("-I", jump().get(0), "1"));
            insert.addAll(jump().subList(1, jump().size()));
            iptables(insert, false);
        }
        LOG.infof("instances on %s may reach the host on tcp %s only (iptables chain %s)", subnetPool, openPorts, CHAIN);
    }

    /** Runs iptables; a failure throws unless {@code mayFail}, and the answer says whether it succeeded. */
    private static boolean iptables(List<String> args, boolean mayFail) throws IOException {
        List<String> argv = new ArrayList<>(List.of("iptables", "-w", "5"));
        argv.addAll(args);
        int status = run(argv, null);
        if (status != 0 && !mayFail) {
            throw new IOException(String.join(" ", argv) + " failed with status " + status);
        }
        return status == 0;
    }

    private static int run(List<String> argv, String input) throws IOException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            if (input != null) {
                stdin.write(input.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            int status = process.waitFor();
            if (status != 0 && input != null) {
                throw new IOException(String.join(" ", argv) + ": " + out.strip());
            }
            if (status != 0) {
                LOG.debugf("%s: %s", String.join(" ", argv), out.strip());
            }
            return status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

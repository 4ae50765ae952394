package io.berth.deploy.runtime.kubernetes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where each team's apps live on Kubernetes and what their network may reach, from the
 * {@code berth.kubernetes.*} settings (KubernetesClientProducer reads them): one shared namespace
 * (the behaviour before namespaces per team, and still the default) or a namespace per team
 * named {@code <teamNamespacePrefix><team>}; and, for the NetworkPolicy in each of them, the
 * gateway's pods (the only ones admitted) and the addresses taken out of "the outside world".
 * Bad settings are refused here, so the service does not start with them.
 */
public record Tenancy(String sharedNamespace, boolean namespacePerTeam, String teamNamespacePrefix,
        String gatewayNamespace, Map<String, String> gatewayPodLabels, int gatewayPort, List<String> egressExcept) {

    /** A namespace name is a DNS label (RFC 1123). */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** What the prefix may be so that prefix + a team name (identity's rule) is a DNS label. */
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9][-a-z0-9]{0,21}");
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
    private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    private static final Pattern IPV6_CIDR = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*/(\\d{1,3})");

    public Tenancy {
        require(DNS_LABEL.matcher(sharedNamespace).matches(), "berth.kubernetes.namespace", sharedNamespace, "a namespace name");
        // 22 characters leave room for a team name (at most 40) within a namespace name's 63
        require(PREFIX.matcher(teamNamespacePrefix).matches(), "berth.kubernetes.team-namespace-prefix",
                teamNamespacePrefix, "1-22 lower-case letters, digits or '-' (an empty prefix could name kube-system)");
        require(DNS_LABEL.matcher(gatewayNamespace).matches(), "berth.kubernetes.gateway.namespace", gatewayNamespace,
                "a namespace name");
        require(!gatewayPodLabels.isEmpty(), "berth.kubernetes.gateway.pod-labels", "", "at least one key=value");
        require(gatewayPort >= 1 && gatewayPort <= 65535, "berth.kubernetes.gateway.port", Integer.toString(gatewayPort),
                "a port");
        for (String cidr : egressExcept) {
            require(isCidr(cidr), "berth.kubernetes.egress-except", cidr, "a list of CIDRs (10.0.0.0/8,fd00::/8)");
        }
        gatewayPodLabels = Map.copyOf(gatewayPodLabels);
        egressExcept = List.copyOf(egressExcept);
    }

    /** The namespace a team's apps go into. */
    public String namespaceOf(String team) {
        return namespacePerTeam ? teamNamespacePrefix + team : sharedNamespace;
    }

    /** The CIDRs of one address family, to go under 0.0.0.0/0 or ::/0 in an ipBlock's except. */
    public List<String> egressExcept(boolean ipv6) {
        return egressExcept.stream().filter(c -> c.contains(":") == ipv6).toList();
    }

    /** {@code a=b,c=d}, as an equality-based label selector is written. */
    public static Map<String, String> parseLabels(String selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : selector.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? "" : pair.substring(0, eq).strip();
            String value = eq < 0 ? "" : pair.substring(eq + 1).strip();
            require(eq > 0 && LABEL_KEY.matcher(key).matches() && LABEL_VALUE.matcher(value).matches(),
                    "berth.kubernetes.gateway.pod-labels", pair, "key=value pairs separated by ','");
            labels.put(key, value);
        }
        return labels;
    }

    /** The comma-separated list as SmallRye gives it, without blanks. */
    public static List<String> cidrs(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (!v.isBlank()) {
                out.add(v.strip());
            }
        }
        return out;
    }

    static boolean isCidr(String cidr) {
        var v4 = IPV4_CIDR.matcher(cidr);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return Integer.parseInt(v4.group(5)) <= 32;
        }
        var v6 = IPV6_CIDR.matcher(cidr);
        return v6.matches() && Integer.parseInt(v6.group(1)) <= 128;
    }

    private static void require(boolean ok, String key, String value, String what) {
        if (!ok) {
            throw new IllegalArgumentException(key + " is '" + value + "': it must be " + what);
        }
    }
}

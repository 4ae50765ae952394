package io.berth.deploy.app;

/** The rule for names that end up in DNS, topic and Kubernetes object names. */
public final class DnsName {
    public static final String PATTERN = "[a-z]([-a-z0-9]{0,38}[a-z0-9])?";
    public static final String MESSAGE =
            "must be 1-40 lower-case letters, digits or '-', start with a letter and not end with '-'";

    private DnsName() {
    }
}

package io.berth.deploy.app;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * An app name becomes a DNS label (&lt;app&gt;.&lt;zone&gt;), a Kafka topic and a Kubernetes name, so it is
 * held to the strictest of the three: lower-case letters, digits and inner hyphens, at most 40.
 */
public record CreateAppRequest(
        @NotNull @Pattern(regexp = DnsName.PATTERN, message = DnsName.MESSAGE) String name,
        @Pattern(regexp = DnsName.PATTERN, message = DnsName.MESSAGE) String team) {
}

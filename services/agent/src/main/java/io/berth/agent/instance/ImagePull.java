package io.berth.agent.instance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The rules of pulling an {@code image} release's image, computed from the reference and nothing else:
 * which registry a reference names ({@link io.berth.common.image.ImageRegistry}), the
 * {@code podman pull} arguments, the authfile that carries a team's credentials, and a pull failure
 * said so that a user knows whether the registry refused them. Pure, so that every rule is unit-tested.
 */
final class ImagePull {
    static final String AUTH_FILE = "auth.json";

    /** [registry/]path[:tag][@digest], lower-case path as the distribution spec has it */
    private static final Pattern REFERENCE = Pattern.compile(
            "(?<registry>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "(?::[0-9]{1,5})?)/)?"
                    + "(?<path>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
                    + "(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?"
                    + "(?:@(?<digest>[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}))?");

    private ImagePull() {
    }

    /** Why {@code image} is not a reference podman can pull, or null when it is one. */
    static String referenceProblem(String image) {
        return REFERENCE.matcher(image).matches() ? null
                : "must be an image reference: [registry[:port]/]name[:tag][@sha256:digest], the name in lower case";
    }

    /** The registry host (with its port) that {@code image} is pulled from. */
    static String registry(String image) {
        return io.berth.common.image.ImageRegistry.of(image);
    }

    /** Whether {@code registry} is one podman reaches without TLS verification (plain HTTP on loopback, say). */
    static boolean insecure(String registry, List<String> insecureRegistries) {
        return insecureRegistries.stream().map(r -> r.strip().toLowerCase(Locale.ROOT)).anyMatch(registry::equals);
    }

    /** The argv after {@code podman}; the credentials, when there are any, are in {@code authFile}, never here. */
    static List<String> args(String image, boolean insecure, Path authFile) {
        List<String> args = new ArrayList<>(List.of("pull", "--quiet"));
        if (insecure) {
            args.add("--tls-verify=false");
        }
        if (authFile != null) {
            args.addAll(List.of("--authfile", authFile.toString()));
        }
        args.add(image);
        return List.copyOf(args);
    }

    /** The authfile ({@code containers-auth.json(5)}) that gives {@code registry} one username and password. */
    static String authFile(String registry, String username, String password) {
        String auth = Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return "{\"auths\":{" + quote(registry) + ":{\"auth\":" + quote(auth) + "}}}";
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    /** A failed pull as the instance's reason: the image, whether the registry refused the credentials, podman's words. */
    static String failure(String image, String podmanError, boolean withCredentials) {
        String lower = podmanError.toLowerCase(Locale.ROOT);
        String cause = lower.contains("unauthorized") || lower.contains("authentication required")
                || lower.contains("denied") || lower.contains("401") || lower.contains("403")
                ? (withCredentials ? "the registry refused the pull with the team's credentials for " + registry(image)
                        : "the registry refused the pull (no credentials of the team's for " + registry(image) + ")") + ": "
                : lower.contains("manifest unknown") || lower.contains("not found")
                ? "no such image in the registry: " : "";
        return "cannot pull image " + image + ": " + cause + podmanError.strip();
    }
}

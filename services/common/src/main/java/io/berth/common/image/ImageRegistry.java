package io.berth.common.image;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which registry an image reference names, by podman's and docker's rule: the first path component
 * is a registry when it holds a dot or a port or is {@code localhost}; otherwise the image is on
 * Docker Hub. The deploy service picks a team's credentials by it, the agent its TLS setting.
 */
public final class ImageRegistry {
    public static final String DOCKER_HUB = "docker.io";
    /** a registry as credentials name it: host[:port], lower case */
    public static final Pattern SERVER = Pattern.compile(
            "[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?");

    private ImageRegistry() {
    }

    public static String of(String image) {
        int slash = image.indexOf('/');
        if (slash < 0) {
            return DOCKER_HUB;
        }
        String first = image.substring(0, slash);
        boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
        return host ? first.toLowerCase(Locale.ROOT) : DOCKER_HUB;
    }
}

package io.berth.console.proxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which service owns an {@code /api} path (decision 8): a list of path prefixes, each owned by one
 * service, tried most specific first. A prefix is matched segment by segment, {@code *} matching any
 * one segment, so {@code /api/apps/*}{@code /autoscaling} owns {@code /api/apps/web/autoscaling/decisions}
 * but not {@code /api/apps/web/autoscalingx}. Pure: made once from the configuration.
 */
public final class RouteTable {

    /** One prefix and the service that owns what lies under it. */
    public record Route(List<String> segments, String service) {
        boolean matches(List<String> path) {
            if (path.size() < segments.size()) {
                return false;
            }
            for (int i = 0; i < segments.size(); i++) {
                String want = segments.get(i);
                if (!want.equals("*") && !want.equals(path.get(i))) {
                    return false;
                }
            }
            return true;
        }

        long literals() {
            return segments.stream().filter(s -> !s.equals("*")).count();
        }

        @Override
        public String toString() {
            return "/" + String.join("/", segments) + " -> " + service;
        }
    }

    // more segments first; among as many, more literal segments first (so /api/apps/web beats /api/apps/*)
    private static final Comparator<Route> MOST_SPECIFIC_FIRST = Comparator
            .comparingInt((Route r) -> r.segments().size()).reversed()
            .thenComparing(Comparator.comparingLong(Route::literals).reversed());

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = routes.stream().sorted(MOST_SPECIFIC_FIRST).toList();
    }

    /**
     * @param prefixesByService service name to the prefixes it owns, as configured
     * @throws IllegalArgumentException when a prefix is malformed or claimed twice
     */
    public static RouteTable of(Map<String, List<String>> prefixesByService) {
        List<Route> routes = new ArrayList<>();
        prefixesByService.forEach((service, prefixes) -> {
            for (String prefix : prefixes) {
                String trimmed = prefix.trim();
                if (!trimmed.startsWith("/api/") || trimmed.contains("//")) {
                    throw new IllegalArgumentException("berth.console.routes." + service + ": '" + prefix
                            + "' is not a path under /api/");
                }
                Route route = new Route(segments(trimmed), service);
                for (Route other : routes) {
                    if (other.segments().equals(route.segments())) {
                        throw new IllegalArgumentException("the route " + trimmed + " is claimed by both "
                                + other.service() + " and " + service);
                    }
                }
                routes.add(route);
            }
        });
        return new RouteTable(routes);
    }

    /** The service that owns {@code path} (already normalised), if any. */
    public Optional<String> serviceFor(String path) {
        List<String> segments = segments(path);
        for (Route route : routes) {
            if (route.matches(segments)) {
                return Optional.of(route.service());
            }
        }
        return Optional.empty();
    }

    public List<Route> routes() {
        return routes;
    }

    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(segment);
            }
        }
        return segments;
    }
}

package io.berth.chart;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * fabric8's mock API server in CRUD mode (the only stand-in for Kubernetes that DESIGN.md allows;
 * no real API server can be had here), with an authorizer in front of it: every request is turned
 * into the (verb, API group, resource, namespace) that Kubernetes' RBAC authorizer would check.
 * A caller whose bearer token names a subject with grants (a service account) is recorded and
 * refused with 403 unless one of its rules in that namespace allows the request, or one of its
 * cluster-wide rules ({@link #CLUSTER}: a ClusterRoleBinding's, which also cover requests outside
 * any namespace: all namespaces' pods, Namespace objects) does; any other caller (the test playing
 * the controllers and the kubelet, Helm's lookup) is not restricted. Discovery (/api, /apis) is
 * always allowed, as the cluster's system:discovery role allows it to everyone.
 */
final class ApiServer implements AutoCloseable {
    /** One request as RBAC sees it. */
    record Access(String verb, String group, String resource, String namespace, String name, boolean allowed) {
        String rule() {
            return (group.isEmpty() ? "" : group + "/") + resource + ":" + verb;
        }
    }

    /** The grants' key for rules bound cluster-wide (a ClusterRole by a ClusterRoleBinding). */
    static final String CLUSTER = "*";

    private static final Pattern RESOURCE_PATH = Pattern.compile(
            "^/(?:api/v1|apis/([^/]+)/[^/]+)(?:/namespaces/([^/]+))?/([^/]+)(?:/([^/]+))?(?:/([^/]+))?$");

    private final KubernetesMockServer server;
    private final List<Access> accesses = new CopyOnWriteArrayList<>();
    private volatile Map<String, Map<String, List<PolicyRule>>> grantsBySubject = Map.of();

    ApiServer() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), new Authorizer(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
    }

    String url() {
        return server.url("/");
    }

    /**
     * From now on a caller with the bearer token {@code subject} may do only what these rules allow,
     * per namespace ({@link #CLUSTER}: in every namespace and outside them).
     */
    void grant(Map<String, Map<String, List<PolicyRule>>> rulesBySubjectAndNamespace) {
        grantsBySubject = Map.copyOf(rulesBySubjectAndNamespace);
        accesses.clear();
    }

    List<Access> accesses() {
        return new ArrayList<>(accesses);
    }

    @Override
    public void close() {
        server.destroy();
    }

    /** The RBAC attributes of a request, as kube-apiserver's request info resolver derives them. */
    static Access attributes(String method, String target) {
        URI uri = URI.create(target);
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        Matcher m = RESOURCE_PATH.matcher(uri.getPath());
        if (!m.matches()) {
            return null;
        }
        String group = m.group(1) == null ? "" : m.group(1);
        String namespace = m.group(2);
        String resource = m.group(3);
        String name = m.group(4);
        String subresource = m.group(5);
        if (namespace == null && "namespaces".equals(resource) && name != null) {
            namespace = name;
        }
        boolean collection = name == null;
        boolean watch = query.matches("(^|.*&)watch=(true|1)(&.*|$)");
        String verb = switch (method) {
            case "GET", "HEAD" -> watch ? "watch" : collection ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> collection ? "deletecollection" : "delete";
            default -> method.toLowerCase();
        };
        return new Access(verb, group, subresource == null ? resource : resource + "/" + subresource, namespace, name, true);
    }

    static boolean allows(List<PolicyRule> rules, Access access) {
        return rules.stream().anyMatch(rule -> matches(rule.getApiGroups(), access.group())
                && matches(rule.getResources(), access.resource()) && matches(rule.getVerbs(), access.verb())
                && (rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
                        || rule.getResourceNames().contains(access.name())));
    }

    private static boolean matches(List<String> granted, String wanted) {
        return granted != null && (granted.contains("*") || granted.contains(wanted));
    }

    private final class Authorizer extends KubernetesCrudDispatcher {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            String path = request.getPath();
            String bare = URI.create(path).getPath();
            if (bare.equals("/api") || bare.equals("/apis") || bare.equals("/api/v1")) {
                return discovery(bare);
            }
            Access access = attributes(request.getMethod(), path);
            String authorization = request.getHeader("Authorization");
            String subject = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
            Map<String, List<PolicyRule>> grants = subject == null ? null : grantsBySubject.get(subject);
            if (access != null && grants != null) {
                boolean allowed = access.namespace() != null
                        && allows(grants.getOrDefault(access.namespace(), List.of()), access)
                        || allows(grants.getOrDefault(CLUSTER, List.of()), access);
                access = new Access(access.verb(), access.group(), access.resource(), access.namespace(), access.name(), allowed);
                accesses.add(access);
                if (!allowed) {
                    return forbidden(access);
                }
            }
            return super.dispatch(request);
        }

        private MockResponse forbidden(Access a) {
            String message = String.format("%s \"%s\" is forbidden: cannot %s resource \"%s\" in API group \"%s\" in the namespace \"%s\"",
                    a.resource(), a.name() == null ? "" : a.name(), a.verb(), a.resource(), a.group(), a.namespace());
            return new MockResponse().setResponseCode(403).setHeader("Content-Type", "application/json")
                    .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,"
                            + "\"message\":\"" + message.replace("\"", "\\\"") + "\"}");
        }

        /** Just enough discovery for Helm's lookup of a Secret. */
        private MockResponse discovery(String path) {
            String body = switch (path) {
                case "/api" -> "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":[]}";
                case "/apis" -> "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[]}";
                default -> "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"v1\",\"resources\":["
                        + "{\"name\":\"secrets\",\"singularName\":\"secret\",\"namespaced\":true,\"kind\":\"Secret\","
                        + "\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}]}";
            };
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json").setBody(body);
        }
    }
}

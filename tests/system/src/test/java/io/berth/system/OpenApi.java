package io.berth.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.berth.common.testing.TestAuth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The operations each packaged service documents at /q/openapi, read as the platform admin. */
final class OpenApi {
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    /** One documented operation of one service. */
    record Operation(String service, String base, String method, String template, List<String> query, boolean hasBody,
            boolean streams) {
        boolean changes() {
            return !method.equals("GET");
        }

        boolean pathHas(String variable) {
            return template.contains("{" + variable + "}");
        }

        @Override
        public String toString() {
            return service + " " + method + " " + template;
        }
    }

    private OpenApi() {
    }

    static List<Operation> of(String service, String base) {
        Http.Response answer = Http.request("GET", base, "/q/openapi?format=json").as(TestAuth.ADMIN_TOKEN, null).send();
        if (answer.status() != 200) {
            throw new AssertionError(service + " /q/openapi: " + answer);
        }
        JsonNode paths = answer.json().path("paths");
        List<Operation> found = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> p = paths.fields(); p.hasNext(); ) {
            Map.Entry<String, JsonNode> path = p.next();
            for (Iterator<Map.Entry<String, JsonNode>> o = path.getValue().fields(); o.hasNext(); ) {
                Map.Entry<String, JsonNode> op = o.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                List<String> query = new ArrayList<>();
                for (JsonNode parameter : op.getValue().path("parameters")) {
                    if ("query".equals(parameter.path("in").asText())) {
                        query.add(parameter.path("name").asText());
                    }
                }
                found.add(new Operation(service, base, op.getKey().toUpperCase(), path.getKey(), query,
                        op.getValue().has("requestBody"), op.getValue().path("responses").toString().contains("text/event-stream")));
            }
        }
        return found;
    }

    /** Every operation of every service of the platform. */
    static List<Operation> everything() {
        List<Operation> all = new ArrayList<>();
        SystemPlatform.get().apis().forEach((service, base) -> all.addAll(of(service, base)));
        return all;
    }
}

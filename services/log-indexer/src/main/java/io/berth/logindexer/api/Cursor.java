package io.berth.logindexer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.berth.common.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The opaque paging cursor: the sort values of the last line of a page (time in nanoseconds,
 * partition, offset), as base64url JSON. Clients pass it back as {@code searchAfter}.
 */
public final class Cursor {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int VALUES = 3;

    private Cursor() {
    }

    public static String encode(List<Long> sortValues) {
        ArrayNode array = JSON.createArrayNode();
        sortValues.forEach(array::add);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(array.toString().getBytes(StandardCharsets.UTF_8));
    }

    public static List<Long> decode(String field, String cursor) {
        try {
            JsonNode node = JSON.readTree(Base64.getUrlDecoder().decode(cursor));
            if (node == null || !node.isArray() || node.size() != VALUES) {
                throw new IllegalArgumentException("not " + VALUES + " sort values");
            }
            List<Long> values = new ArrayList<>();
            for (JsonNode v : node) {
                if (!v.isIntegralNumber()) {
                    throw new IllegalArgumentException("not a number: " + v);
                }
                values.add(v.asLong());
            }
            return values;
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw ProblemException.invalidField(field, "is not a cursor this API returned");
        }
    }
}

package io.berth.common.problem;

import static io.berth.common.testing.TestAuth.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** Whatever is wrong with a request, the answer is a 4xx problem, never a bare status or a lenient read. */
@QuarkusTest
class MalformedRequestTest {

    @Test
    void aBodyTooLargeIsA413Problem() {
        for (int size : new int[] {3 * 1024 * 1024, 20 * 1024 * 1024}) {
            asAdmin().contentType("application/json").body("{\"name\":\"" + "x".repeat(size) + "\"}").post("/api/apps")
                    .then().statusCode(413).contentType(startsWith(Problem.MEDIA_TYPE)).body("status", equalTo(413));
        }
    }

    @Test
    void aRequestLineTooLongIsA414Problem() {
        asAdmin().get("/api/apps/" + "x".repeat(100_000)).then().statusCode(414)
                .contentType(startsWith(Problem.MEDIA_TYPE)).body("status", equalTo(414));
    }

    @Test
    void trailingContentAndNumbersForTextAreRefused() {
        asAdmin().contentType("application/json").body("{\"name\":\"shop\",\"team\":\"a\"}{}").post("/api/apps")
                .then().statusCode(400).contentType(startsWith(Problem.MEDIA_TYPE));
        asAdmin().contentType("application/json").body("{\"name\":12345,\"team\":\"a\"}").post("/api/apps")
                .then().statusCode(400).contentType(startsWith(Problem.MEDIA_TYPE)).body("errors[0].field", equalTo("name"));
        asAdmin().contentType("application/json").body("{\"name\":true,\"team\":\"a\"}").post("/api/apps")
                .then().statusCode(400).contentType(startsWith(Problem.MEDIA_TYPE));
    }
}

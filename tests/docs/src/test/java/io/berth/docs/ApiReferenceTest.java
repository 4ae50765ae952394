package io.berth.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/api/&lt;service&gt;.yaml is the OpenAPI document that service's build exports
 * ({@code quarkus.smallrye-openapi.store-schema-directory=openapi} in common's shared configuration:
 * {@code ./mvnw package} writes {@code target/openapi/openapi.yaml} and {@code .json} per service).
 * This test fails when they differ. Regenerate (packages every service, then copies):
 * <pre>./mvnw -o -B -pl tests/docs -am package -Dtest=ApiReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Dapi.regenerate=true</pre>
 */
class ApiReferenceTest {
    static final Path API = Repo.path("docs/api");
    static final String REGENERATE = "./mvnw -o -B -pl tests/docs -am package -Dtest=ApiReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dapi.regenerate=true";

    static Path exported(String module) {
        return Repo.path(module).resolve("target/openapi/openapi.yaml");
    }

    @Test
    void docsApiHoldsEachServicesExportedDocument() throws IOException {
        boolean regenerate = Boolean.getBoolean("api.regenerate");
        for (var service : Repo.SERVICES.entrySet()) {
            Path built = exported(service.getValue());
            if (!Files.isRegularFile(built)) {
                fail(built + " is missing: the service must be packaged first (it is by ./mvnw verify, and by: " + REGENERATE + ")");
            }
            Path doc = API.resolve(service.getKey() + ".yaml");
            if (regenerate) {
                Files.createDirectories(API);
                Files.copy(built, doc, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                System.out.println("copied " + built + " to " + doc);
            }
            assertTrue(Files.isRegularFile(doc), doc + " is missing; regenerate: " + REGENERATE);
            assertEquals(Files.readString(built), Files.readString(doc),
                    "docs/api/" + doc.getFileName() + " differs from what " + service.getValue() + " exports; regenerate: " + REGENERATE);
        }
        Set<String> expected = Repo.SERVICES.keySet().stream().map(s -> s + ".yaml").collect(Collectors.toCollection(TreeSet::new));
        expected.add("README.md");
        try (Stream<Path> files = Files.list(API)) {
            assertEquals(expected, files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)),
                    "docs/api holds one document per service and its README");
        }
    }

    /** Each document says what it is: a title, a version and a description of its own. */
    @Test
    void everyDocumentHasItsTitleVersionAndDescription() throws IOException {
        Set<String> titles = new TreeSet<>();
        for (String service : Repo.SERVICES.keySet()) {
            String doc = Files.readString(API.resolve(service + ".yaml"));
            int at = doc.indexOf("\ninfo:\n");
            assertTrue(at >= 0, service + ": an info object");
            java.util.regex.Matcher next = java.util.regex.Pattern.compile("\n[^ \n]").matcher(doc);
            String info = next.find(at + 7) ? doc.substring(at, next.start()) : doc.substring(at);
            assertTrue(info.contains("\n  title: Berth "), service + ": info.title starts with Berth\n" + info);
            assertTrue(info.contains("\n  version: 0.1.0"), service + ": info.version\n" + info);
            assertTrue(info.contains("\n  description: "), service + ": info.description\n" + info);
            String title = info.substring(info.indexOf("\n  title: ") + 10);
            titles.add(title.substring(0, title.indexOf('\n')));
        }
        assertEquals(Repo.SERVICES.size(), titles.size(), "every service's title is its own: " + titles);
    }

    /** docs/api/README.md links every document and names the service's port. */
    @Test
    void theIndexListsEveryDocument() throws IOException {
        String readme = Files.readString(API.resolve("README.md"));
        for (String service : Repo.SERVICES.keySet()) {
            assertTrue(readme.contains("(" + service + ".yaml)"), "docs/api/README.md links " + service + ".yaml");
        }
        assertTrue(readme.contains(REGENERATE), "docs/api/README.md gives the regenerate command");
        assertFalse(readme.isBlank());
    }
}

package io.berth.deploy;

import java.util.Map;

/**
 * The environment that gives a packaged deploy service a schema of its own in berth_test, so that
 * it sees only the apps its own test creates. {@code clean}: empty it first.
 */
public final class DeployDatabase {
    private DeployDatabase() {
    }

    public static Map<String, String> schema(String schema, boolean clean) {
        return Map.of(
                "BERTH_POSTGRES_DB_NAME", "berth_test",
                "QUARKUS_HIBERNATE_ORM_DATABASE_DEFAULT_SCHEMA", schema,
                "QUARKUS_FLYWAY_SCHEMAS", schema,
                "QUARKUS_FLYWAY_DEFAULT_SCHEMA", schema,
                "QUARKUS_FLYWAY_CLEAN_DISABLED", "false",
                "QUARKUS_FLYWAY_CLEAN_AT_START", Boolean.toString(clean));
    }
}

package io.berth.deploy.app;

import java.time.OffsetDateTime;

/** An app and its desired state: how many instances of which release. */
public record AppView(String name, String team, int replicas, Integer currentRelease, Integer targetRelease,
        OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    static AppView of(App app) {
        return new AppView(app.name, app.team, app.replicas, app.currentRelease, app.targetRelease, app.createdAt,
                app.updatedAt);
    }
}

package io.berth.deploy.app;

import java.time.OffsetDateTime;

public record AppView(String name, String team, OffsetDateTime createdAt, OffsetDateTime updatedAt) {
    static AppView of(App app) {
        return new AppView(app.name, app.team, app.createdAt, app.updatedAt);
    }
}
